//! Configuration: `courant.toml` in the data folder (or `--config FILE`), overridden by
//! `COURANT_SECTION__KEY` environment variables (e.g. `COURANT_SITE__TITLE`). Unknown keys
//! and bad values stop start-up with an error that names the key.

use anyhow::bail;
use courant_render::{AdSettings, FeedSettings, Labels, RobotsSettings, Settings, SiteClock, SiteSettings};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The name of the configuration file looked for in the data folder.
pub const CONFIG_FILE: &str = "courant.toml";

/// Everything Courant can be configured with.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub site: SiteSettings,
    pub ads: AdSettings,
    pub labels: Labels,
    pub feeds: FeedSettings,
    pub robots: RobotsSettings,
    pub api: courant_web::ApiSettings,
    pub search: SearchConfig,
    pub trending: courant_web::trending::TrendingSettings,
    pub webhooks: courant_web::webhooks::WebhookSettings,
    pub wire: courant_web::wire::WireSettings,
    pub mail: courant_mail::MailSettings,
    pub newsroom: courant_web::newsroom::NewsroomSettings,
    pub cache: courant_web::cache::CacheSettings,
    pub cdn: courant_web::cdn::CdnSettings,
    pub server: ServerConfig,
    pub store: StoreConfig,
    pub metrics: MetricsConfig,
}

/// `GET /metrics` for Prometheus, on an address of its own.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// Where `/metrics` is served, e.g. "127.0.0.1:9464"; absent: not at all. Never the
    /// public address: what it tells is for the operator.
    pub listen: Option<SocketAddr>,
}

/// The environment variable that names the store, over `store.url`.
pub const STORE_URL_VAR: &str = "COURANT_STORE_URL";

/// Where the publication is stored.
#[derive(Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct StoreConfig {
    /// Empty for the SQLite file in the data folder (the default); or
    /// `postgres://user:password@host:port/database` for PostgreSQL, which several nodes can
    /// share. `COURANT_STORE_URL` takes precedence.
    pub url: String,
    /// PostgreSQL: the most connections this node keeps open.
    pub max_connections: u32,
    /// PostgreSQL: a statement running longer than this many seconds is cancelled.
    pub statement_timeout_seconds: u64,
    /// The folder of picture files; DATA/media when absent. Nodes sharing a PostgreSQL store
    /// share this folder too (a network mount), or use a bucket instead.
    pub media_dir: Option<PathBuf>,
    /// Picture files in an S3-compatible bucket instead of a folder (`[store.bucket]`).
    pub bucket: Option<courant_web::files::BucketSettings>,
}

impl Default for StoreConfig {
    fn default() -> Self {
        let pg = courant_store::PgSettings::default();
        StoreConfig {
            url: String::new(),
            max_connections: pg.max_connections,
            statement_timeout_seconds: pg.statement_timeout.as_secs(),
            media_dir: None,
            bucket: None,
        }
    }
}

impl std::fmt::Debug for StoreConfig {
    /// The URL's password never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreConfig")
            .field("url", &courant_store::redact_password(&self.url))
            .field("max_connections", &self.max_connections)
            .field("statement_timeout_seconds", &self.statement_timeout_seconds)
            .field("media_dir", &self.media_dir)
            .field("bucket", &self.bucket)
            .finish()
    }
}

impl StoreConfig {
    /// Where the store is: the URL when one is set, else the data folder's SQLite file.
    pub fn location(&self, data_dir: &Path) -> anyhow::Result<courant_store::Location> {
        if self.url.trim().is_empty() {
            return Ok(courant_store::Location::Sqlite(data_dir.to_owned()));
        }
        courant_store::Location::parse(&self.url).map_err(|e| anyhow::anyhow!("key `store.url`: {e}"))
    }

    /// How a node connects to PostgreSQL.
    pub fn pg_settings(&self) -> courant_store::PgSettings {
        courant_store::PgSettings {
            max_connections: self.max_connections,
            statement_timeout: std::time::Duration::from_secs(self.statement_timeout_seconds),
            ..courant_store::PgSettings::default()
        }
    }
}

/// Search.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// The language whose word forms searches match (stemming): english, russian, german,
    /// french, spanish, italian, portuguese, dutch, swedish, norwegian, danish, finnish, or none.
    pub language: String,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { language: "english".into() }
    }
}

impl Config {
    /// What the renderer needs of the configuration.
    pub fn render_settings(&self) -> Settings {
        Settings {
            site: self.site.clone(),
            ads: self.ads.clone(),
            labels: self.labels.clone(),
            feeds: self.feeds.clone(),
            robots: self.robots.clone(),
        }
    }
}

/// The HTTP server.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Address to listen on; `--listen` and `COURANT_LISTEN` take precedence.
    pub listen: SocketAddr,
    /// Addresses of the load balancers and CDNs in front of this node, whose `X-Forwarded-For`
    /// names the reader (for rate limits, the login throttle and view counts). Empty: the
    /// peer is the reader.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// See [`courant_web::server::Limits`].
    pub header_timeout_seconds: u64,
    pub body_timeout_seconds: u64,
    pub max_connections: usize,
    pub max_in_flight: usize,
}

impl ServerConfig {
    /// The limits the server holds clients to.
    pub fn limits(&self) -> courant_web::server::Limits {
        courant_web::server::Limits {
            header_timeout_seconds: self.header_timeout_seconds,
            body_timeout_seconds: self.body_timeout_seconds,
            max_connections: self.max_connections,
            max_in_flight: self.max_in_flight,
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        let limits = courant_web::server::Limits::default();
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            trusted_proxies: Vec::new(),
            header_timeout_seconds: limits.header_timeout_seconds,
            body_timeout_seconds: limits.body_timeout_seconds,
            max_connections: limits.max_connections,
            max_in_flight: limits.max_in_flight,
        }
    }
}

/// Where the configuration was read from, for messages.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
    /// The file that was read, if any.
    pub file: Option<PathBuf>,
}

/// Loads the configuration: defaults, then the file (`explicit`, else `courant.toml` in
/// `data_dir` when present), then the environment. An explicit file must exist.
pub fn load(data_dir: &Path, explicit: Option<&Path>) -> anyhow::Result<Loaded> {
    let file = match explicit {
        Some(path) if !path.is_file() => {
            bail!("the configuration file {} does not exist", path.display())
        }
        Some(path) => Some(path.to_owned()),
        None => Some(data_dir.join(CONFIG_FILE)).filter(|p| p.is_file()),
    };
    let mut figment = Figment::from(Serialized::defaults(Config::default()));
    if let Some(file) = &file {
        figment = figment.merge(Toml::file_exact(file));
    }
    // Only `COURANT_SECTION__KEY` variables configure; `COURANT_DATA` and `COURANT_LISTEN` are
    // command-line options.
    figment = figment.merge(Env::prefixed("COURANT_").filter(|k| k.as_str().contains("__")).split("__"));
    let mut config: Config = figment.extract().map_err(|e| {
        let origin = file.as_ref().map_or("the environment".to_string(), |f| f.display().to_string());
        anyhow::anyhow!("invalid configuration ({origin}): {}", describe(e))
    })?;
    if let Ok(url) = std::env::var(STORE_URL_VAR)
        && !url.trim().is_empty()
    {
        config.store.url = url;
    }
    validate(&config)?;
    Ok(Loaded { config, file })
}

fn describe(e: figment::Error) -> String {
    e.into_iter()
        .map(|e| {
            let key = if e.path.is_empty() { String::new() } else { format!("key `{}`: ", e.path.join(".")) };
            format!("{key}{}", e.kind)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Checks values serde accepts but Courant cannot use.
pub fn validate(config: &Config) -> anyhow::Result<()> {
    let site = &config.site;
    if let Some((key, what)) = courant_render::PublicationSettings::of(&config.render_settings()).problem() {
        bail!("key `{key}`: {what}");
    }
    if !(site.url.starts_with("http://") || site.url.starts_with("https://")) || site.url.ends_with('/') {
        bail!(
            "key `site.url`: expected the site's address such as \"https://news.example\" (no trailing slash), found {:?}",
            site.url
        );
    }
    SiteClock::new(&site.timezone).map_err(|e| anyhow::anyhow!("key `site.timezone`: {e}"))?;
    if site.locale.is_empty() || !site.locale.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        bail!("key `site.locale`: expected a language tag such as \"en-GB\", found {:?}", site.locale);
    }
    if config.metrics.listen.is_some_and(|m| m == config.server.listen) {
        bail!("key `metrics.listen`: expected an address of its own, not server.listen (the public address)");
    }
    if let Err(what) = config.server.limits().check() {
        bail!("key {what}");
    }
    if !(1..=1024).contains(&config.newsroom.max_upload_mb) {
        bail!("key `newsroom.max_upload_mb`: expected the largest upload in megabytes, from 1 to 1024");
    }
    if !(1..=2048).contains(&config.newsroom.max_import_mb) {
        bail!(
            "key `newsroom.max_import_mb`: expected the largest export imported from the newsroom in megabytes, from 1 to 2048"
        );
    }
    if let Err(what) = config.mail.check() {
        bail!("{what}");
    }
    if !(1..=3650).contains(&config.wire.retention_days) {
        bail!("key `wire.retention_days`: expected how many days wire copy is kept, from 1 to 3650");
    }
    if !(1..=300).contains(&config.wire.feed_timeout_seconds) {
        bail!(
            "key `wire.feed_timeout_seconds`: expected how long a feed's server has to answer, from 1 to 300 seconds"
        );
    }
    if let Some(dir) = &config.wire.drop_dir
        && !dir.is_dir()
    {
        bail!(
            "key `wire.drop_dir`: {} is not a folder; create it, or leave the key out for no drop folder",
            dir.display()
        );
    }
    if let Some((key, what)) = config.cdn.problem() {
        bail!("key `{key}`: {what}");
    }
    if !config.cdn.purge_url.is_empty() && !config.cache.enabled {
        bail!(
            "key `cdn.purge_url`: purging a CDN follows the page cache; set cache.enabled = true or leave purge_url empty"
        );
    }
    if !(1..=65_536).contains(&config.cache.budget_mb) {
        bail!("key `cache.budget_mb`: expected the page cache's size in megabytes, from 1 to 65536");
    }
    if config.cache.media_mb > 65_536 {
        bail!("key `cache.media_mb`: expected the picture cache's size in megabytes, from 0 to 65536");
    }
    if !(1..=3600).contains(&config.cache.trending_seconds) {
        bail!("key `cache.trending_seconds`: expected seconds from 1 to 3600");
    }
    if !(1..=365).contains(&config.newsroom.session_days) {
        bail!("key `newsroom.session_days`: expected how many days a login lasts, from 1 to 365");
    }
    if let Some(bad) = config.robots.disallow.iter().find(|p| !p.starts_with('/') || p.contains(['\n', '\r'])) {
        bail!("key `robots.disallow`: expected paths starting with '/', found {bad:?}");
    }
    if let Some(bad) = config.ads.txt.iter().find(|r| r.contains(['\n', '\r']) || r.trim().is_empty()) {
        bail!("key `ads.txt`: expected one ads.txt record per entry, found {bad:?}");
    }
    if ![
        "english",
        "russian",
        "german",
        "french",
        "spanish",
        "italian",
        "portuguese",
        "dutch",
        "swedish",
        "norwegian",
        "danish",
        "finnish",
        "none",
    ]
    .contains(&config.search.language.as_str())
    {
        bail!(
            "key `search.language`: {:?} is not a language Courant can search; use english, russian, german, french, spanish, italian, portuguese, dutch, swedish, norwegian, danish, finnish or none",
            config.search.language
        );
    }
    if !(1..=10_080).contains(&config.trending.half_life_minutes) {
        bail!("key `trending.half_life_minutes`: expected minutes from 1 to 10080 (a week)");
    }
    if !(1..=20).contains(&config.trending.size) {
        bail!("key `trending.size`: expected how many stories the list shows, from 1 to 20");
    }
    for e in &config.webhooks.endpoints {
        if !(e.url.starts_with("https://") || e.url.starts_with("http://")) {
            bail!("key `webhooks.endpoints`: {:?} is not an http(s) address", e.url);
        }
        if e.secret.len() < 16 {
            bail!("key `webhooks.endpoints`: the secret for {} must be at least 16 characters", e.url);
        }
    }
    config.labels.validate().map_err(|e| anyhow::anyhow!("{e}"))?;
    config.store.location(Path::new("."))?;
    if !(1..=1000).contains(&config.store.max_connections) {
        bail!("key `store.max_connections`: expected how many connections a node keeps, from 1 to 1000");
    }
    if let Some(bucket) = &config.store.bucket {
        if let Some((key, what)) = bucket.problem() {
            bail!("key `{key}`: {what}");
        }
        if config.store.media_dir.is_some() {
            bail!(
                "key `store.media_dir`: pictures live in a folder or in a bucket; remove media_dir or [store.bucket]"
            );
        }
    }
    if !(1..=3600).contains(&config.store.statement_timeout_seconds) {
        bail!("key `store.statement_timeout_seconds`: expected seconds from 1 to 3600");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(toml: &str) -> anyhow::Result<Loaded> {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(CONFIG_FILE), toml).expect("write");
        load(dir.path(), None)
    }

    #[test]
    fn defaults_without_a_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let loaded = load(dir.path(), None).expect("defaults load");
        assert_eq!(loaded.config, Config::default());
        assert!(loaded.file.is_none());
    }

    #[test]
    fn file_values_apply() {
        let loaded = load_text("[site]\ntitle = \"Harbour Gazette\"\n[ads]\nlabel = \"Anzeige\"\n").expect("load");
        assert_eq!(loaded.config.site.title, "Harbour Gazette");
        assert_eq!(loaded.config.ads.label, "Anzeige");
    }

    #[test]
    fn unknown_key_is_named() {
        let err = load_text("[site]\ntitel = \"x\"\n").unwrap_err().to_string();
        assert!(err.contains("titel"), "{err}");
    }

    #[test]
    fn bad_type_is_named() {
        let err = load_text("[server]\nlisten = \"not an address\"\n").unwrap_err().to_string();
        assert!(err.contains("server.listen"), "{err}");
    }

    #[test]
    fn bad_timezone_is_named() {
        let err = load_text("[site]\ntimezone = \"Mars/Base\"\n").unwrap_err().to_string();
        assert!(err.contains("site.timezone") && err.contains("Mars/Base"), "{err}");
    }

    #[test]
    fn cdn_settings_are_checked_and_the_token_never_shown() {
        let err = load_text("[cdn]\npurge_url = \"ftp://cdn.example/purge\"\n").unwrap_err().to_string();
        assert!(err.contains("cdn.purge_url"), "{err}");
        let err = load_text(
            "[cdn]\npurge_url = \"http://cdn.example/purge\"\ntoken_header = \"Fastly-Key\"\ntoken = \"t\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("https"), "a token only over https: {err}");
        let err = load_text("[cdn]\npurge_url = \"https://cdn.example/purge\"\ntoken_header = \"Fastly-Key\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("cdn.token"), "a header without a token: {err}");
        let loaded = load_text(
            "[cdn]\npurge_url = \"https://cdn.example/purge\"\ntoken_header = \"Fastly-Key\"\ntoken = \"s3cret\"\n",
        )
        .expect("a complete [cdn] loads");
        assert!(!format!("{:?}", loaded.config).contains("s3cret"), "the token stays out of debug output");
    }

    #[test]
    fn store_url_is_checked_and_its_password_never_shown() {
        let err = load_text("[store]\nurl = \"mysql://db/news\"\n").unwrap_err().to_string();
        assert!(err.contains("store.url") && err.contains("postgres://"), "{err}");
        let loaded =
            load_text("[store]\nurl = \"postgres://courant:s3cret@db.internal/news\"\n").expect("a PostgreSQL URL");
        assert_eq!(
            loaded.config.store.location(Path::new("data")).expect("location"),
            courant_store::Location::Postgres("postgres://courant:s3cret@db.internal/news".into())
        );
        assert!(!format!("{:?}", loaded.config).contains("s3cret"), "the password stays out of debug output");
        let default = load_text("").expect("defaults");
        assert_eq!(
            default.config.store.location(Path::new("data")).expect("location"),
            courant_store::Location::Sqlite("data".into()),
            "SQLite in the data folder by default"
        );
        let err = load_text("[store]\nmax_connections = 0\n").unwrap_err().to_string();
        assert!(err.contains("store.max_connections"), "{err}");
        let bucket = "[store.bucket]\nendpoint = \"https://s3.example\"\nname = \"news-media\"\nregion = \"eu-west-1\"\n\
                      access_key = \"AKIA\"\nsecret_key = \"bucket-s3cret\"\n";
        let loaded = load_text(bucket).expect("a bucket");
        assert!(
            !format!("{:?}", loaded.config).contains("bucket-s3cret"),
            "the bucket's secret stays out of debug output"
        );
        let err = load_text(&bucket.replace("https://s3.example", "http://s3.example")).unwrap_err().to_string();
        assert!(err.contains("store.bucket.endpoint"), "{err}");
        let err = load_text(&format!("[store]\nmedia_dir = \"/srv/media\"\n{bucket}")).unwrap_err().to_string();
        assert!(err.contains("store.media_dir"), "a folder or a bucket: {err}");
    }

    #[test]
    fn malformed_toml_is_reported() {
        let err = load_text("[site\ntitle=").unwrap_err().to_string();
        assert!(err.contains("invalid configuration"), "{err}");
    }

    #[test]
    fn missing_explicit_file_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = load(dir.path(), Some(&dir.path().join("nope.toml"))).unwrap_err().to_string();
        assert!(err.contains("does not exist"), "{err}");
    }
}

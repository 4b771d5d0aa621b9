//! "Others are reading now": article views counted by a beacon, without cookies or stored
//! personal data, scored with exponential decay so the list means "now", not "ever".
//!
//! - A view arrives from a tiny script (`navigator.sendBeacon` with our content type) or, with
//!   JavaScript off, from a one-pixel image that browsers fetch with `Sec-Fetch-Dest: image`.
//!   Requests without either, from known crawlers, or marked as prefetch/prerender are ignored,
//!   as are views of anything not published.
//! - Repeat views of one reader within [`DEDUP_WINDOW`] count once. The reader is recognised by a
//!   keyed hash of network (an IPv4 address, an IPv6 /64), user agent and article whose key is
//!   random, lives only in memory and is replaced every day: nothing links a reader across days,
//!   so readers sending `DNT: 1` or `Sec-GPC: 1` are de-duplicated like everyone else.
//! - Whatever its headers say, one network counts as at most [`READERS_PER_NETWORK`] readers of
//!   a story within the window: a household or an office behind one address counts as a few
//!   readers, and a script that changes its user agent on every view gains no more. Many readers
//!   outweigh many views.
//! - Counts are kept per article and minute, added to the store every few seconds and on
//!   shutdown. Every node adds its own counts to the same rows, so with several nodes the store
//!   holds the publication's total; each node reloads the totals every few seconds.

use courant_core::ArticleId;
use courant_store::MinuteViews;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Within this time, repeat views of one reader count once.
pub const DEDUP_WINDOW: Duration = Duration::from_secs(30 * 60);
/// Readers of one story one network counts as within [`DEDUP_WINDOW`].
pub const READERS_PER_NETWORK: u32 = 3;
/// Readers remembered for de-duplication before the oldest are forgotten.
const MAX_SEEN: usize = 200_000;
/// The content type of the beacon's body: what tells a real view from a stray request.
pub const BEACON_TYPE: &str = "application/x-courant-view";

/// `[trending]` in `courant.toml`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct TrendingSettings {
    /// After this many minutes a view counts half as much.
    pub half_life_minutes: u32,
    /// How many stories the list shows.
    pub size: usize,
    /// Whether an article page lists what is read in its own top-level section rather than
    /// across the whole site.
    pub per_section: bool,
}

impl Default for TrendingSettings {
    fn default() -> Self {
        TrendingSettings { half_life_minutes: 120, size: 5, per_section: false }
    }
}

/// User agents of crawlers and tools, matched case-insensitively anywhere in the header.
const BOTS: &[&str] = &[
    "bot",
    "crawl",
    "spider",
    "slurp",
    "facebookexternalhit",
    "embedly",
    "preview",
    "curl",
    "wget",
    "python",
    "go-http-client",
    "java/",
    "okhttp",
    "headless",
    "phantomjs",
    "lighthouse",
    "pingdom",
    "uptime",
    "monitor",
    "feedfetcher",
    "mediapartners",
    "httpclient",
    "axios",
    "node-fetch",
    "scrapy",
];

/// True for a user agent that is not a person's browser.
pub fn is_bot(user_agent: &str) -> bool {
    let ua = user_agent.to_ascii_lowercase();
    ua.trim().is_empty() || BOTS.iter().any(|b| ua.contains(b))
}

/// The weight of views `age_minutes` old.
pub fn decay(age_minutes: f64, half_life_minutes: f64) -> f64 {
    0.5f64.powf(age_minutes.max(0.0) / half_life_minutes.max(1.0))
}

/// The minute since the Unix epoch of an instant.
pub fn minute_of(t: time::OffsetDateTime) -> i64 {
    t.unix_timestamp().div_euclid(60)
}

struct Inner {
    /// Counts from the store (all nodes), by article and minute.
    merged: HashMap<(ArticleId, i64), i64>,
    /// Counts of this node not yet written to the store.
    pending: HashMap<(ArticleId, i64), i64>,
    /// Sections of articles seen, for per-section lists.
    sections: HashMap<ArticleId, i64>,
    /// Recent readers by keyed hash, for de-duplication.
    seen: HashMap<u64, Instant>,
    /// Readers counted per network and story (keyed hash): since when, and how many.
    networks: HashMap<u64, (Instant, u32)>,
    /// The day the key is for, and the key.
    key: (i64, std::collections::hash_map::RandomState),
    /// Every article with a score, best first, for the minute given: scores change only with
    /// the minute and the counts, and every page that lists the most read asks for them.
    ranked: Option<(i64, std::sync::Arc<Vec<(ArticleId, f64)>>)>,
}

/// The view counts of this node.
pub struct Trending {
    settings: TrendingSettings,
    inner: Mutex<Inner>,
}

/// Who sent a view, as far as de-duplication needs.
pub struct Reader<'a> {
    pub address: std::net::IpAddr,
    pub user_agent: &'a str,
}

impl Trending {
    pub fn new(settings: TrendingSettings) -> Trending {
        Trending {
            settings,
            inner: Mutex::new(Inner {
                merged: HashMap::new(),
                pending: HashMap::new(),
                sections: HashMap::new(),
                seen: HashMap::new(),
                networks: HashMap::new(),
                key: (-1, std::collections::hash_map::RandomState::new()),
                ranked: None,
            }),
        }
    }

    pub fn settings(&self) -> &TrendingSettings {
        &self.settings
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Counts a view of a published article (filed in `section`) at `now`, unless the same
    /// reader viewed it within the window or the reader's network has had its share of readers
    /// of it. Returns whether it counted.
    pub fn record(&self, article: ArticleId, section: i64, reader: &Reader<'_>, now: time::OffsetDateTime) -> bool {
        let mut inner = self.lock();
        inner.sections.insert(article, section);
        let day = now.unix_timestamp().div_euclid(86_400);
        if inner.key.0 != day {
            // A new day, a new key: yesterday's hashes can no longer be linked to today's.
            inner.key = (day, std::collections::hash_map::RandomState::new());
            inner.seen.clear();
            inner.networks.clear();
        }
        let network = crate::limit::network_of(reader.address);
        let one = inner.key.1.hash_one((network, reader.user_agent, article.0));
        let all = inner.key.1.hash_one((network, article.0));
        let instant = Instant::now();
        if inner.seen.len() > MAX_SEEN || inner.networks.len() > MAX_SEEN {
            inner.seen.retain(|_, at| instant.duration_since(*at) < DEDUP_WINDOW);
            inner.networks.retain(|_, (since, _)| instant.duration_since(*since) < DEDUP_WINDOW);
            // A flood of made-up readers: forget them all rather than sweep on every view.
            if inner.seen.len() > MAX_SEEN / 2 || inner.networks.len() > MAX_SEEN / 2 {
                inner.seen.clear();
                inner.networks.clear();
            }
        }
        if inner.seen.get(&one).is_some_and(|at| instant.duration_since(*at) < DEDUP_WINDOW) {
            return false;
        }
        let counted = inner.networks.entry(all).or_insert((instant, 0));
        if instant.duration_since(counted.0) >= DEDUP_WINDOW {
            *counted = (instant, 0);
        }
        if counted.1 >= READERS_PER_NETWORK {
            return false;
        }
        counted.1 += 1;
        inner.seen.insert(one, instant);
        *inner.pending.entry((article, minute_of(now))).or_insert(0) += 1;
        inner.ranked = None;
        true
    }

    /// The counts not yet stored, emptied.
    pub fn take_pending(&self) -> Vec<MinuteViews> {
        let mut inner = self.lock();
        let pending = std::mem::take(&mut inner.pending);
        // What this node counted is part of the total until the next reload brings it back.
        for (key, n) in &pending {
            *inner.merged.entry(*key).or_insert(0) += n;
        }
        pending.into_iter().map(|((article, minute), views)| MinuteViews { article, minute, views }).collect()
    }

    /// Puts counts back that could not be stored (the store was unreachable).
    pub fn restore_pending(&self, views: &[MinuteViews]) {
        let mut inner = self.lock();
        for MinuteViews { article: id, minute: m, views: n } in views {
            *inner.pending.entry((*id, *m)).or_insert(0) += n;
            if let Some(v) = inner.merged.get_mut(&(*id, *m)) {
                *v -= n;
            }
        }
        inner.ranked = None;
    }

    /// Replaces the merged counts with the store's (every node's) and the articles' sections.
    pub fn load(&self, views: Vec<MinuteViews>, sections: HashMap<ArticleId, i64>) {
        let mut inner = self.lock();
        inner.merged = views.into_iter().map(|v| ((v.article, v.minute), v.views)).collect();
        inner.sections.extend(sections);
        inner.ranked = None;
    }

    /// The most read articles at `now`, best first, without `exclude`, limited to `section`
    /// (a top-level section id, compared with each article's top-level section) when given.
    pub fn top(
        &self,
        now: time::OffsetDateTime,
        exclude: Option<ArticleId>,
        section: Option<&dyn Fn(i64) -> bool>,
    ) -> Vec<(ArticleId, f64)> {
        self.top_n(now, exclude, section, self.settings.size)
    }

    /// [`Trending::top`], the first `n` instead of the configured size (the front page's most
    /// read box leaves out stories shown above it, so it asks for more).
    pub fn top_n(
        &self,
        now: time::OffsetDateTime,
        exclude: Option<ArticleId>,
        section: Option<&dyn Fn(i64) -> bool>,
        n: usize,
    ) -> Vec<(ArticleId, f64)> {
        let mut inner = self.lock();
        let current = minute_of(now);
        let ranked = match &inner.ranked {
            Some((minute, ranked)) if *minute == current => ranked.clone(),
            _ => {
                let ranked = std::sync::Arc::new(self.rank(&inner, current));
                inner.ranked = Some((current, ranked.clone()));
                ranked
            }
        };
        ranked
            .iter()
            .filter(|(id, _)| Some(*id) != exclude)
            .filter(|(id, _)| match (section, inner.sections.get(id)) {
                (Some(keep), Some(s)) => keep(*s),
                (Some(_), None) => false,
                (None, _) => true,
            })
            .take(n)
            .copied()
            .collect()
    }

    /// Every article with a score at `current` (a minute), best first.
    fn rank(&self, inner: &Inner, current: i64) -> Vec<(ArticleId, f64)> {
        let half_life = f64::from(self.settings.half_life_minutes);
        let mut scores: HashMap<ArticleId, f64> = HashMap::new();
        for ((id, minute), n) in inner.merged.iter().chain(inner.pending.iter()) {
            *scores.entry(*id).or_insert(0.0) += *n as f64 * decay((current - minute) as f64, half_life);
        }
        let mut ranked: Vec<(ArticleId, f64)> = scores.into_iter().filter(|(_, score)| *score > 0.0).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked
    }

    /// Forgets counts that no longer weigh anything (older than a day).
    pub fn prune(&self, now: time::OffsetDateTime) {
        let oldest = minute_of(now) - 24 * 60;
        let mut inner = self.lock();
        inner.merged.retain(|(_, m), _| *m >= oldest);
        inner.ranked = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn reader(ua: &str) -> Reader<'_> {
        Reader { address: std::net::IpAddr::from([192, 0, 2, 1]), user_agent: ua }
    }

    const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

    #[test]
    fn decay_halves_every_half_life() {
        assert!((decay(0.0, 120.0) - 1.0).abs() < 1e-9);
        assert!((decay(120.0, 120.0) - 0.5).abs() < 1e-9);
        assert!((decay(240.0, 120.0) - 0.25).abs() < 1e-9);
        assert!((decay(-5.0, 120.0) - 1.0).abs() < 1e-9, "a view from the future weighs like one from now");
    }

    #[test]
    fn bots_and_tools_are_recognised() {
        for ua in [
            "Googlebot/2.1 (+http://www.google.com/bot.html)",
            "curl/8.5.0",
            "python-requests/2.31",
            "",
            "HeadlessChrome/120",
            "facebookexternalhit/1.1",
        ] {
            assert!(is_bot(ua), "{ua:?} is a bot");
        }
        assert!(!is_bot(FIREFOX));
        assert!(!is_bot(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1"
        ));
    }

    #[test]
    fn recent_views_outrank_old_ones_and_repeats_count_once() {
        let t = Trending::new(TrendingSettings::default());
        let now = datetime!(2026-11-25 12:00 UTC);
        let (a, b) = (ArticleId(1), ArticleId(2));
        // Three readers of a, six hours ago; two readers of b, now.
        for i in 0..3u8 {
            let r = Reader { address: std::net::IpAddr::from([192, 0, 2, i]), user_agent: FIREFOX };
            assert!(t.record(a, 10, &r, now - time::Duration::hours(6)));
        }
        for i in 0..2u8 {
            let r = Reader { address: std::net::IpAddr::from([198, 51, 100, i]), user_agent: FIREFOX };
            assert!(t.record(b, 20, &r, now));
            assert!(!t.record(b, 20, &r, now), "a repeat view within the window counts once");
        }
        let top = t.top(now, None, None);
        assert_eq!(top.iter().map(|x| x.0).collect::<Vec<_>>(), vec![b, a], "2 views now beat 3 views six hours ago");
        assert!((top[1].1 - 3.0 * decay(360.0, 120.0)).abs() < 1e-9);
        assert_eq!(t.top(now, Some(b), None)[0].0, a, "the article being read is left out");
        let only_10: &dyn Fn(i64) -> bool = &|s| s == 10;
        assert_eq!(t.top(now, None, Some(only_10)).iter().map(|x| x.0).collect::<Vec<_>>(), vec![a]);
    }

    #[test]
    fn a_network_counts_as_a_few_readers_whatever_its_headers() {
        let t = Trending::new(TrendingSettings::default());
        let now = datetime!(2026-11-25 12:00 UTC);
        let agents: Vec<String> = (0..50).map(|n| format!("{FIREFOX} build/{n}")).collect();
        let counted = agents.iter().filter(|ua| t.record(ArticleId(1), 1, &reader(ua), now)).count();
        assert_eq!(counted, READERS_PER_NETWORK as usize, "fifty user agents from one address");
        // One /64 is one network, however many addresses it uses.
        let counted = (0..50u16)
            .filter(|n| {
                let address = std::net::IpAddr::from([0x2001, 0xdb8, 7, 7, *n, 1, 2, 3]);
                t.record(ArticleId(3), 1, &Reader { address, user_agent: &agents[usize::from(*n)] }, now)
            })
            .count();
        assert_eq!(counted, READERS_PER_NETWORK as usize, "fifty readers at fifty addresses of one /64");
        assert!(t.record(ArticleId(2), 1, &reader(&agents[9]), now), "another story has its own share");
        assert_eq!(t.take_pending().iter().map(|v| v.views).sum::<i64>(), 2 * 3 + 1);
    }

    #[test]
    fn the_key_changes_every_day() {
        let t = Trending::new(TrendingSettings::default());
        let day1 = datetime!(2026-11-25 23:59 UTC);
        assert!(t.record(ArticleId(1), 1, &reader(FIREFOX), day1));
        assert!(
            t.record(ArticleId(1), 1, &reader(FIREFOX), day1 + time::Duration::minutes(2)),
            "a new day forgets yesterday's readers"
        );
    }
}

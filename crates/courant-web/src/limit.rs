//! A per-address rate limit (token bucket) for the content API: each client address may make
//! `per_minute` requests a minute, in bursts up to the same number.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

/// The content API's settings (`[api]` in `courant.toml`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ApiSettings {
    /// Requests a minute one client address may make; 0 turns the limit off.
    pub requests_per_minute: u32,
}

impl Default for ApiSettings {
    fn default() -> Self {
        ApiSettings { requests_per_minute: 600 }
    }
}

/// The network an address stands for: an IPv4 address, or the /64 an IPv6 address is in (which
/// one subscriber usually has whole).
pub(crate) fn network_of(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => {
            let mut segments = v6.segments();
            segments[4..].fill(0);
            IpAddr::from(segments)
        }
        v4 => v4,
    }
}

/// Addresses tracked before idle ones are forgotten, so memory stays bounded.
const MAX_TRACKED: usize = 100_000;

struct Bucket {
    tokens: f64,
    last: Instant,
}

/// Token buckets per client address.
pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter { per_minute, buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes one request from `ip`'s allowance, or says in how many seconds one is available.
    /// IPv6 addresses count by their /64 network, which one client usually has whole.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let ip = network_of(ip);
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() >= MAX_TRACKED {
            // A bucket idle for a minute is full again: forgetting it changes nothing. When even
            // that leaves too many (a flood of addresses), start over rather than sweep on every
            // request.
            buckets.retain(|_, b| now.duration_since(b.last).as_secs() < 60);
            if buckets.len() >= MAX_TRACKED / 2 {
                buckets.clear();
            }
        }
        let bucket = buckets.entry(ip).or_insert(Bucket { tokens: capacity, last: now });
        bucket.tokens = (bucket.tokens + now.duration_since(bucket.last).as_secs_f64() * per_second).min(capacity);
        bucket.last = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - bucket.tokens) / per_second).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_allowance_then_refuses_with_a_wait() {
        let limiter = RateLimiter::new(3);
        let a = IpAddr::from([10, 0, 0, 1]);
        assert!((0..3).all(|_| limiter.check(a).is_ok()));
        let wait = limiter.check(a).expect_err("the fourth request within a minute is refused");
        assert!((1..=20).contains(&wait), "wait {wait}");
        assert!(limiter.check(IpAddr::from([10, 0, 0, 2])).is_ok(), "other addresses have their own allowance");
        assert!(RateLimiter::new(0).check(a).is_ok(), "0 turns the limit off");
        let one: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ipv6");
        let same_net: IpAddr = "2001:db8:1:2:bbbb::2".parse().expect("ipv6");
        assert!((0..3).all(|_| limiter.check(one).is_ok()));
        assert!(limiter.check(same_net).is_err(), "one /64 shares an allowance");
    }
}

//! Randomness in drawing terms: floats and integers in ranges, and a hash for per-cell noise.

use crate::rng::Rng;

/// A uniform float in `lo..hi`.
pub(super) fn rf(rng: &mut Rng, lo: f32, hi: f32) -> f32 {
    lo + (hi - lo) * rng.f64() as f32
}

/// A uniform integer in `lo..=hi` (just `lo` when the range is empty).
pub(super) fn ri(rng: &mut Rng, lo: usize, hi: usize) -> usize {
    if hi <= lo { lo } else { rng.range(lo, hi) }
}

pub(super) fn hash2(x: i32, y: i32, seed: u32) -> u32 {
    let mut h = (x as u32).wrapping_mul(0x27d4_eb2d) ^ (y as u32).wrapping_mul(0x1656_67b1) ^ seed;
    h ^= h >> 15;
    h = h.wrapping_mul(0x2c1b_3c6d);
    h ^= h >> 12;
    h = h.wrapping_mul(0x297a_2d39);
    h ^= h >> 15;
    h
}

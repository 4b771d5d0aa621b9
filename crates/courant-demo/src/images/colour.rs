//! Colours: the colour type, the palettes pictures are painted from, and colour arithmetic
//! (mixing, scaling, brightness, gradients).

use crate::rng::Rng;

/// A colour with channels in `0.0..=255.0`.
pub(super) type Col = [f32; 3];

pub(super) const BLACK: Col = [0.0; 3];
pub(super) const WHITE: Col = [255.0; 3];

/// Harmonious palettes: deep, mid, soft (light), warm accent, hot accent.
const PALETTES: [[u32; 5]; 9] = [
    [0x1d2b53, 0x7e2553, 0xffccaa, 0xffa300, 0xff77a8], // dusk
    [0x0b3954, 0x087e8b, 0xbfd7ea, 0xff5a5f, 0xc81d25], // ocean
    [0x283618, 0x606c38, 0xfefae0, 0xdda15e, 0xbc6c25], // forest
    [0x2e3440, 0x5e81ac, 0xe5e9f0, 0xebcb8b, 0xbf616a], // nordic
    [0x264653, 0x2a9d8f, 0xe9c46a, 0xf4a261, 0xe76f51], // sunset
    [0x22223b, 0x4a4e69, 0xf2e9e4, 0xc9ada7, 0x9a8c98], // mauve
    [0x003049, 0xd62828, 0xeae2b7, 0xfcbf49, 0xf77f00], // citrus
    [0x05668d, 0x028090, 0xf0f3bd, 0x02c39a, 0x00a896], // mint
    [0x3d405b, 0x81b29a, 0xf4f1de, 0xf2cc8f, 0xe07a5f], // clay
];

#[derive(Clone, Copy)]
pub(super) struct Palette {
    pub(super) deep: Col,
    pub(super) mid: Col,
    pub(super) soft: Col,
    pub(super) warm: Col,
    pub(super) hot: Col,
}

impl Palette {
    pub(super) fn pick(rng: &mut Rng) -> Self {
        let p = PALETTES[rng.below(PALETTES.len())];
        let mut pal = Palette { deep: hex(p[0]), mid: hex(p[1]), soft: hex(p[2]), warm: hex(p[3]), hot: hex(p[4]) };
        if rng.chance(0.5) {
            std::mem::swap(&mut pal.warm, &mut pal.hot);
        }
        pal
    }
}

pub(super) fn hex(c: u32) -> Col {
    [((c >> 16) & 255) as f32, ((c >> 8) & 255) as f32, (c & 255) as f32]
}

pub(super) fn mix(a: Col, b: Col, t: f32) -> Col {
    [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]
}

pub(super) fn scale(c: Col, k: f32) -> Col {
    [c[0] * k, c[1] * k, c[2] * k]
}

pub(super) fn luma(c: Col) -> f32 {
    0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]
}

/// The colour at `t` along gradient `stops` (sorted by position).
pub(super) fn grad_at(stops: &[(f32, Col)], t: f32) -> Col {
    let Some(&(t0, c0)) = stops.first() else {
        return BLACK;
    };
    if t <= t0 {
        return c0;
    }
    for pair in stops.windows(2) {
        let ((a, ca), (b, cb)) = (pair[0], pair[1]);
        if t <= b {
            let k = if b > a { (t - a) / (b - a) } else { 1.0 };
            return mix(ca, cb, k.clamp(0.0, 1.0));
        }
    }
    stops.last().map(|s| s.1).unwrap_or(BLACK)
}

pub(super) fn pick_col(rng: &mut Rng, cols: &[Col]) -> Col {
    if cols.is_empty() {
        return BLACK;
    }
    cols.get(rng.below(cols.len())).copied().unwrap_or(BLACK)
}

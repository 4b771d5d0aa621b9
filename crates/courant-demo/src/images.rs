//! Pictures for the demo publication, drawn entirely by our own code.
//!
//! The demo newspaper needs pictures it is free to publish, so it draws them: hero illustrations
//! in a handful of abstract editorial styles (a city skyline, rolling hills, bokeh, poster bands,
//! a market chart, a stadium, concentric rings) and head-and-shoulders author portraits.
//! Everything is deterministic for a given [`Rng`] state.
//!
//! Drawing happens on a floating-point canvas. Shapes are described by signed distance functions
//! and anti-aliased cheaply (coverage from the distance to the edge over one pixel), and only the
//! bounding box of each shape is visited. The canvas becomes 8-bit RGB at the end with a small
//! ordered dither, so gradients survive JPEG compression without banding.

use image::{Rgb, RgbImage};

use super::rng::Rng;

use std::f32::consts::{PI, TAU};
use std::ops::Range;

/// A colour with channels in `0.0..=255.0`.
type Col = [f32; 3];

const BLACK: Col = [0.0; 3];
const WHITE: Col = [255.0; 3];

/// Number of hero style families.
const STYLES: usize = 7;

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

const SKIN: [u32; 8] = [0xf6d5bd, 0xeec1a0, 0xe0ac85, 0xc99069, 0xb07550, 0x8f5a3a, 0x6f4129, 0x553020];

const HAIR: [u32; 10] =
    [0x1c1714, 0x2e201a, 0x4a3020, 0x6e4a2e, 0x9c6b3f, 0xcfa76a, 0xa9a49c, 0xdedad2, 0x8a3324, 0x30446e];

/// A 5x7 bitmap font: one byte per row, bit 4 is the leftmost column.
#[rustfmt::skip]
const FONT: [(char, [u8; 7]); 42] = [
    ('A', [0b01110, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001]),
    ('B', [0b11110, 0b10001, 0b10001, 0b11110, 0b10001, 0b10001, 0b11110]),
    ('C', [0b01110, 0b10001, 0b10000, 0b10000, 0b10000, 0b10001, 0b01110]),
    ('D', [0b11100, 0b10010, 0b10001, 0b10001, 0b10001, 0b10010, 0b11100]),
    ('E', [0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b11111]),
    ('F', [0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b10000]),
    ('G', [0b01110, 0b10001, 0b10000, 0b10111, 0b10001, 0b10001, 0b01111]),
    ('H', [0b10001, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001]),
    ('I', [0b01110, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110]),
    ('J', [0b00111, 0b00010, 0b00010, 0b00010, 0b00010, 0b10010, 0b01100]),
    ('K', [0b10001, 0b10010, 0b10100, 0b11000, 0b10100, 0b10010, 0b10001]),
    ('L', [0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b11111]),
    ('M', [0b10001, 0b11011, 0b10101, 0b10101, 0b10001, 0b10001, 0b10001]),
    ('N', [0b10001, 0b10001, 0b11001, 0b10101, 0b10011, 0b10001, 0b10001]),
    ('O', [0b01110, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110]),
    ('P', [0b11110, 0b10001, 0b10001, 0b11110, 0b10000, 0b10000, 0b10000]),
    ('Q', [0b01110, 0b10001, 0b10001, 0b10001, 0b10101, 0b10010, 0b01101]),
    ('R', [0b11110, 0b10001, 0b10001, 0b11110, 0b10100, 0b10010, 0b10001]),
    ('S', [0b01111, 0b10000, 0b10000, 0b01110, 0b00001, 0b00001, 0b11110]),
    ('T', [0b11111, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100]),
    ('U', [0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110]),
    ('V', [0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01010, 0b00100]),
    ('W', [0b10001, 0b10001, 0b10001, 0b10101, 0b10101, 0b10101, 0b01010]),
    ('X', [0b10001, 0b10001, 0b01010, 0b00100, 0b01010, 0b10001, 0b10001]),
    ('Y', [0b10001, 0b10001, 0b10001, 0b01010, 0b00100, 0b00100, 0b00100]),
    ('Z', [0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b10000, 0b11111]),
    ('0', [0b01110, 0b10001, 0b10011, 0b10101, 0b11001, 0b10001, 0b01110]),
    ('1', [0b00100, 0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110]),
    ('2', [0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b01000, 0b11111]),
    ('3', [0b11111, 0b00010, 0b00100, 0b00010, 0b00001, 0b10001, 0b01110]),
    ('4', [0b00010, 0b00110, 0b01010, 0b10010, 0b11111, 0b00010, 0b00010]),
    ('5', [0b11111, 0b10000, 0b11110, 0b00001, 0b00001, 0b10001, 0b01110]),
    ('6', [0b00110, 0b01000, 0b10000, 0b11110, 0b10001, 0b10001, 0b01110]),
    ('7', [0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b01000, 0b01000]),
    ('8', [0b01110, 0b10001, 0b10001, 0b01110, 0b10001, 0b10001, 0b01110]),
    ('9', [0b01110, 0b10001, 0b10001, 0b01111, 0b00001, 0b00010, 0b01100]),
    (' ', [0; 7]),
    ('-', [0b00000, 0b00000, 0b00000, 0b01110, 0b00000, 0b00000, 0b00000]),
    ('.', [0b00000, 0b00000, 0b00000, 0b00000, 0b00000, 0b01100, 0b01100]),
    (',', [0b00000, 0b00000, 0b00000, 0b00000, 0b01100, 0b00100, 0b01000]),
    ('&', [0b01100, 0b10010, 0b10100, 0b01000, 0b10101, 0b10010, 0b01101]),
    ('\'', [0b01100, 0b00100, 0b01000, 0b00000, 0b00000, 0b00000, 0b00000]),
];

/// 4x4 Bayer matrix for the final ordered dither.
const BAYER: [f32; 16] = [0.0, 8.0, 2.0, 10.0, 12.0, 4.0, 14.0, 6.0, 3.0, 11.0, 1.0, 9.0, 15.0, 7.0, 13.0, 5.0];

/// A hero illustration for a story: `width` x `height` pixels, varied by `rng`, with `words`
/// (1-3 short uppercase words) drawn as a bold label on a translucent band.
pub fn hero(rng: &mut Rng, width: u32, height: u32, words: &[&str]) -> RgbImage {
    let style = rng.below(STYLES);
    hero_style(rng, width, height, words, style)
}

/// The families of hero pictures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Skyline = 0,
    Hills = 1,
    Bokeh = 2,
    Bands = 3,
    Chart = 4,
    Stadium = 5,
    Rings = 6,
}

/// A hero illustration of a chosen family, so a story's picture can suit its subject.
pub fn hero_in_style(rng: &mut Rng, width: u32, height: u32, words: &[&str], style: Style) -> RgbImage {
    hero_style(rng, width, height, words, style as usize)
}

/// A square author portrait (`size` x `size`): an abstract head-and-shoulders figure.
pub fn portrait(rng: &mut Rng, size: u32) -> RgbImage {
    if size == 0 {
        return RgbImage::new(0, 0);
    }
    let n = size as usize;
    let s = size as f32;
    let pal = Palette::pick(rng);

    // Colours.
    let skin_a = hex(*rng.pick(&SKIN));
    let skin_b = hex(*rng.pick(&SKIN));
    let skin = mix(skin_a, skin_b, rf(rng, 0.0, 0.4));
    let shadow = scale(skin, 0.82);
    let hair = hex(*rng.pick(&HAIR));
    let clothes = pick_col(rng, &[pal.deep, pal.mid, pal.warm, pal.hot, hex(0x2b2d33), hex(0x5a6270)]);
    let tint = pick_col(rng, &[pal.warm, pal.mid, pal.hot, pal.soft]);
    let mut bg0 = mix(pal.soft, tint, rf(rng, 0.15, 0.45));
    if (luma(bg0) - luma(clothes)).abs() < 45.0 {
        let away = if luma(clothes) > 128.0 { pal.deep } else { WHITE };
        bg0 = mix(bg0, away, 0.45);
    }
    if (luma(bg0) - luma(hair)).abs() < 40.0 {
        let away = if luma(hair) > 128.0 { pal.deep } else { WHITE };
        bg0 = mix(bg0, away, 0.4);
    }
    let bg1 = mix(bg0, pal.mid, rf(rng, 0.15, 0.4));

    let mut cv = Canvas::new(n, n, bg0);
    let ang = rf(rng, 0.0, TAU);
    cv.linear_grad(ang.cos(), ang.sin(), bg0, bg1);

    // Geometry.
    let cx = s * (0.5 + rf(rng, -0.025, 0.025));
    let hrx = s * rf(rng, 0.145, 0.17);
    let hry = hrx * rf(rng, 1.12, 1.28);
    let hcy = s * rf(rng, 0.39, 0.44);
    let sh_rx = s * rf(rng, 0.34, 0.44);
    let sh_ry = s * rf(rng, 0.26, 0.33);
    let sh_cy = s * rf(rng, 0.98, 1.05);
    let sh_top = sh_cy - sh_ry;
    let neck_hw = hrx * rf(rng, 0.42, 0.55);

    // A soft halo behind the head.
    cv.glow(cx, hcy, s * 0.48, mix(bg0, WHITE, 0.5), 0.3);

    let style = rng.below(7);

    // Hair behind the head and shoulders.
    match style {
        1 => cv.rbox_c(cx, hcy + hry * 0.55, hrx * 1.25, hry * 1.5, hrx * 0.9, hair, 1.0),
        2 => cv.rbox_c(cx, hcy + hry * 0.05, hrx * 1.22, hry * 1.08, hrx * 0.7, hair, 1.0),
        4 => {
            cv.ellipse(cx, hcy - hry * 0.12, hrx * 1.3, hry * 1.08, hair, 1.0);
            let k = ri(rng, 11, 16);
            for j in 0..k {
                let t = j as f32 / (k - 1) as f32;
                let (sa, ca) = (PI * (0.95 + 1.1 * t)).sin_cos();
                let px = cx + ca * hrx * 1.25;
                let py = hcy - hry * 0.1 + sa * hry * 1.02;
                let r = hrx * rf(rng, 0.32, 0.45);
                cv.circle(px, py, r, hair, 1.0);
            }
        }
        _ => {}
    }

    // Neck (behind the clothes), then the clothes.
    cv.rbox(cx - neck_hw, hcy + hry * 0.3, cx + neck_hw, sh_top + s * 0.04, neck_hw * 0.3, shadow, 1.0);
    cv.ellipse(cx, sh_cy, sh_rx, sh_ry, clothes, 1.0);
    // A soft side shade on the clothes.
    let side = if rng.chance(0.5) { 1.0 } else { -1.0 };
    let dark_clothes = scale(clothes, 0.8);
    let soft_edge = (s * 0.06).max(1.0);
    cv.fill_sdf([cx - sh_rx, sh_top, cx + sh_rx, sh_cy + sh_ry], dark_clothes, 0.45, |x, y| {
        let e = sd_ellipse(x - cx, y - sh_cy, sh_rx, sh_ry);
        let hp = side * (cx + side * sh_rx * 0.45 - x) / soft_edge;
        e.max(hp)
    });

    // Neckline.
    match rng.below(4) {
        0 => {
            // Crew neck: a collar band with the neck going into it.
            cv.ellipse(cx, sh_top + s * 0.012, neck_hw * 1.25, s * 0.04, scale(clothes, 0.72), 1.0);
            cv.ellipse(cx, sh_top + s * 0.004, neck_hw * 1.05, s * 0.03, shadow, 1.0);
        }
        1 => {
            // V-neck.
            let depth = s * rf(rng, 0.07, 0.13);
            let half = neck_hw * 1.25;
            cv.tri([(cx - half, sh_top - s * 0.01), (cx + half, sh_top - s * 0.01), (cx, sh_top + depth)], shadow, 1.0);
        }
        2 => {
            // Jacket over a shirt, maybe with a tie.
            let depth = s * rf(rng, 0.16, 0.24);
            let half = neck_hw * 1.6;
            let shirt = pick_col(rng, &[hex(0xf4f1ea), hex(0xdfe7ef), pal.soft, hex(0xf1e3d3)]);
            let top = sh_top - s * 0.005;
            cv.tri([(cx - half, top), (cx + half, top), (cx, sh_top + depth)], shirt, 1.0);
            cv.ellipse(cx, sh_top + s * 0.002, neck_hw, s * 0.028, shadow, 1.0);
            let lapel = scale(clothes, 0.7);
            let lw = (s * 0.008).max(1.0);
            cv.segment(cx - half, top, cx, sh_top + depth, lw, lapel, 1.0);
            cv.segment(cx + half, top, cx, sh_top + depth, lw, lapel, 1.0);
            if rng.chance(0.5) {
                let tie = pick_col(rng, &[pal.hot, pal.warm, pal.deep, pal.mid]);
                let knot = neck_hw * 0.32;
                let ky = sh_top + s * 0.035;
                cv.rbox_c(cx, ky, knot, knot * 0.8, knot * 0.3, tie, 1.0);
                cv.tri([(cx - knot * 0.8, ky), (cx + knot * 0.8, ky), (cx, sh_top + depth * 0.97)], tie, 1.0);
            }
        }
        _ => {
            // Turtleneck.
            cv.rbox(
                cx - neck_hw * 1.12,
                hcy + hry * 0.72,
                cx + neck_hw * 1.12,
                sh_top + s * 0.04,
                neck_hw * 0.35,
                scale(clothes, 0.9),
                1.0,
            );
        }
    }

    // Long hair falls over the shoulders.
    if style == 1 {
        for sgn in [-1.0f32, 1.0] {
            cv.rbox_c(cx + sgn * hrx, hcy + hry * 0.9, hrx * 0.3, hry * 0.95, hrx * 0.28, hair, 1.0);
        }
    }

    // Ears, head and a soft shade on one side of the face.
    let ear = mix(skin, shadow, 0.5);
    for sgn in [-1.0f32, 1.0] {
        cv.ellipse(cx + sgn * hrx * 0.97, hcy + hry * 0.08, hrx * 0.17, hry * 0.2, ear, 1.0);
    }
    cv.ellipse(cx, hcy, hrx, hry, skin, 1.0);
    let face_soft = (hrx * 0.3).max(1.0);
    cv.fill_sdf([cx - hrx, hcy - hry, cx + hrx, hcy + hry], shadow, 0.35, |x, y| {
        let e = sd_ellipse(x - cx, y - hcy, hrx, hry);
        let hp = side * (cx + side * hrx * 0.35 - x) / face_soft;
        e.max(hp)
    });

    // Hair in front: a cap with a curved hairline, varied per style.
    let (hairline, part) = match style {
        2 => (rf(rng, 0.5, 0.6), 0.0),
        4 => (rf(rng, 0.35, 0.45), rf(rng, -0.05, 0.05)),
        _ => (rf(rng, 0.2, 0.4), rf(rng, -0.12, 0.12)),
    };
    if style == 3 {
        cv.circle(cx + hrx * rf(rng, -0.2, 0.2), hcy - hry * 1.05, hrx * 0.42, hair, 1.0);
    }
    if style == 6 {
        let sgn = if rng.chance(0.5) { 1.0 } else { -1.0 };
        cv.ellipse(cx + sgn * hrx * 0.25, hcy - hry * 0.88, hrx * 0.75, hry * 0.32, hair, 1.0);
    }
    if style != 5 {
        hair_cap(&mut cv, [cx, hcy, hrx, hry], hairline, part, hair);
    }
    if matches!(style, 0 | 5 | 6) && rng.chance(0.3) {
        // A short beard around the jaw.
        cv.fill_sdf([cx - hrx * 1.05, hcy, cx + hrx * 1.05, hcy + hry * 1.05], hair, 0.95, |x, y| {
            let outer = sd_ellipse(x - cx, y - hcy, hrx * 1.02, hry * 1.03);
            let inner = sd_ellipse(x - cx, y - hcy - hry * 0.02, hrx * 0.78, hry * 0.74);
            outer.max(-inner).max(hcy + hry * 0.1 - y)
        });
    }

    // Glasses.
    if rng.chance(0.28) {
        let gy = hcy + hry * 0.08;
        let gr = hrx * 0.26;
        let gx = hrx * 0.42;
        let lw = (s * 0.007).max(1.0);
        let gc = pick_col(rng, &[hex(0x1f1f22), hex(0x3b2a22), pal.hot, pal.deep]);
        for sgn in [-1.0f32, 1.0] {
            cv.ring(cx + sgn * gx, gy, gr, lw, gc, 1.0);
        }
        cv.segment(cx - gx + gr, gy, cx + gx - gr, gy, lw * 0.8, gc, 1.0);
    }

    cv.vignette(0.12);
    cv.into_image()
}

fn hero_style(rng: &mut Rng, width: u32, height: u32, words: &[&str], style: usize) -> RgbImage {
    if width == 0 || height == 0 {
        return RgbImage::new(width, height);
    }
    let pal = Palette::pick(rng);
    let mut cv = Canvas::new(width as usize, height as usize, pal.deep);
    match style % STYLES {
        0 => skyline(&mut cv, rng, &pal),
        1 => hills(&mut cv, rng, &pal),
        2 => bokeh(&mut cv, rng, &pal),
        3 => bands(&mut cv, rng, &pal),
        4 => chart(&mut cv, rng, &pal),
        5 => stadium(&mut cv, rng, &pal),
        _ => rings(&mut cv, rng, &pal),
    }
    let v = rf(rng, 0.12, 0.3);
    cv.vignette(v);
    label(&mut cv, rng, &pal, words);
    cv.into_image()
}

// ---------------------------------------------------------------------------------------------
// Hero styles
// ---------------------------------------------------------------------------------------------

/// Sky gradient, sun or moon, and layered city silhouettes with lit windows.
fn skyline(cv: &mut Canvas, rng: &mut Rng, pal: &Palette) {
    let (w, h, s) = cv.dims();
    let night = rng.chance(0.4);
    let horizon = h * rf(rng, 0.6, 0.76);
    let (top, low) = if night {
        (mix(pal.deep, BLACK, 0.4), mix(pal.mid, pal.deep, 0.4))
    } else {
        let t = rf(rng, 0.1, 0.5);
        let l = rf(rng, 0.2, 0.7);
        (mix(pal.mid, pal.deep, t), mix(pal.warm, pal.soft, l))
    };
    let stops = [(0.0, top), (horizon / h, low), (1.0, low)];
    cv.vgrad(&stops);

    if night {
        for _ in 0..ri(rng, 30, 90) {
            let x = rf(rng, 0.0, w);
            let y = rf(rng, 0.0, horizon * 0.85);
            let r = (s * rf(rng, 0.001, 0.003)).max(0.6);
            let a = rf(rng, 0.3, 0.9);
            cv.circle(x, y, r, pal.soft, a);
        }
    }

    // Sun or moon (maybe a crescent).
    let sr = s * rf(rng, 0.05, 0.11);
    let sx = w * rf(rng, 0.12, 0.88);
    let sy = horizon * rf(rng, 0.3, 0.75);
    let body = if night {
        mix(pal.soft, WHITE, 0.5)
    } else {
        let t = rf(rng, 0.0, 0.4);
        mix(pal.hot, pal.soft, t)
    };
    cv.circle(sx, sy, sr, body, 1.0);
    if night && rng.chance(0.6) {
        let off = sr * 0.42;
        let sky = grad_at(&stops, (sy - off * 0.6) / h);
        cv.circle(sx + off, sy - off * 0.6, sr * 0.9, sky, 1.0);
    }
    cv.glow(sx, sy, sr * 4.0, body, if night { 0.16 } else { 0.32 });

    // Thin streaks of cloud.
    for _ in 0..ri(rng, 1, 4) {
        let cw = w * rf(rng, 0.08, 0.28);
        let ch = (s * rf(rng, 0.01, 0.03)).max(1.0);
        let x = rf(rng, -0.1 * w, w);
        let y = rf(rng, 0.08 * h, horizon * 0.8);
        let a = rf(rng, 0.12, 0.35);
        cv.rbox(x, y, x + cw, y + ch, ch * 0.5, pal.soft, a);
    }

    // Three layers of buildings, far to near.
    let haze = mix(low, pal.deep, 0.35);
    let near = mix(pal.deep, BLACK, 0.45);
    let lit = mix(pal.warm, pal.soft, 0.35);
    let ranges: [(f32, f32); 3] = [(0.08, 0.38), (0.05, 0.27), (0.0, 0.16)];
    for (layer, &(lo, hi)) in ranges.iter().enumerate() {
        let t = layer as f32 / 2.0;
        let col = mix(haze, near, t * t * 0.6 + t * 0.4);
        let base = horizon + h * 0.06 * layer as f32;
        let mut x = -rf(rng, 0.0, s * 0.08);
        let mut guard = 0;
        while x < w && guard < 600 {
            guard += 1;
            let bw = (s * rf(rng, 0.04, 0.12) * (1.0 + 0.3 * t)).max(2.0);
            if layer < 2 && rng.chance(0.12) {
                x += bw * 0.5;
                continue;
            }
            let top = base - h * rf(rng, lo, hi);
            cv.rect(x, top, x + bw, h, col, 1.0);
            match rng.below(6) {
                0 => {
                    let sw = (bw * 0.08).max(1.0);
                    let sh = h * rf(rng, 0.04, 0.1);
                    cv.rect(x + bw * 0.5 - sw * 0.5, top - sh, x + bw * 0.5 + sw * 0.5, top + 1.0, col, 1.0);
                }
                1 => {
                    let sh = h * rf(rng, 0.02, 0.05);
                    cv.rect(x + bw * 0.2, top - sh, x + bw * 0.8, top + 1.0, col, 1.0);
                }
                2 => cv.circle(x + bw * 0.5, top, bw * 0.32, col, 1.0),
                _ => {}
            }
            // Windows on the nearer layers.
            let ww = s * 0.011;
            if layer >= 1 && ww >= 2.0 {
                let gap_x = ww * 0.9;
                let gap_y = ww * 1.2;
                let cols = ((bw - gap_x) / (ww + gap_x)).floor().max(0.0) as usize;
                let used = cols as f32 * (ww + gap_x) - gap_x;
                let ox = x + (bw - used) * 0.5;
                let day_window = mix(col, low, 0.22);
                let mut wy = top + ww * 1.5;
                let mut rows = 0;
                while wy + ww < h && rows < 200 {
                    rows += 1;
                    for c in 0..cols {
                        let wx = ox + c as f32 * (ww + gap_x);
                        if night {
                            if rng.chance(0.3) {
                                cv.rect(wx, wy, wx + ww, wy + ww * 1.3, lit, 0.9);
                            }
                        } else if rng.chance(0.8) {
                            cv.rect(wx, wy, wx + ww, wy + ww * 1.3, day_window, 0.8);
                        }
                    }
                    wy += ww * 1.3 + gap_y;
                }
            }
            x += bw;
        }
    }
}

/// Rolling hills in layers with atmospheric perspective, furrowed fields and a few trees.
fn hills(cv: &mut Canvas, rng: &mut Rng, pal: &Palette) {
    let (w, h, s) = cv.dims();
    let t_top = rf(rng, 0.2, 0.6);
    let t_low = rf(rng, 0.1, 0.45);
    let sky_top = mix(pal.mid, pal.soft, t_top);
    let sky_low = mix(pal.soft, pal.warm, t_low);
    cv.vgrad(&[(0.0, sky_top), (0.6, sky_low), (1.0, sky_low)]);

    let sr = s * rf(rng, 0.06, 0.13);
    let sx = w * rf(rng, 0.15, 0.85);
    let sy = h * rf(rng, 0.16, 0.4);
    let sun_t = rf(rng, 0.1, 0.4);
    let sun = mix(pal.hot, WHITE, sun_t);
    cv.circle(sx, sy, sr, sun, 0.95);
    cv.glow(sx, sy, sr * 3.0, sun, 0.3);

    let layers = ri(rng, 4, 6);
    let far = mix(sky_low, pal.mid, 0.35);
    let near = mix(pal.deep, BLACK, 0.25);
    let field_layer = rng.below(layers);
    let accent = pick_col(rng, &[pal.warm, pal.hot, pal.mid]);
    let tree_layer = if rng.chance(0.7) { Some(ri(rng, 1, layers - 1)) } else { None };
    let stripe_k = 1.0 / (s * 0.006).max(1.0).sqrt();
    let width = cv.w;
    let mut curve = vec![0.0f32; width];
    for i in 0..layers {
        let t = (i + 1) as f32 / layers as f32;
        let mut col = mix(far, near, t.powf(1.3));
        if i == field_layer {
            col = mix(col, accent, 0.45);
        }
        let base = h * (0.42 + 0.5 * (i as f32 / layers as f32));
        let a1 = h * rf(rng, 0.03, 0.09);
        let a2 = h * rf(rng, 0.01, 0.035);
        let f1 = TAU * rf(rng, 0.5, 1.6) / w;
        let f2 = TAU * rf(rng, 1.8, 4.5) / w;
        let p1 = rf(rng, 0.0, TAU);
        let p2 = rf(rng, 0.0, TAU);
        let mut top = h;
        for (x, c) in curve.iter_mut().enumerate() {
            let xf = x as f32 + 0.5;
            *c = base + a1 * (f1 * xf + p1).sin() + a2 * (f2 * xf + p2).sin();
            top = top.min(*c);
        }
        let stripes = i + 2 >= layers && rng.chance(0.7);
        let depth_norm = 1.0 / (h * 0.3).max(1.0);
        for y in span(top, h, cv.h) {
            let yf = y as f32;
            let row = &mut cv.px[y * width..(y + 1) * width];
            for (p, &c) in row.iter_mut().zip(curve.iter()) {
                let cov = (yf + 1.0 - c).clamp(0.0, 1.0);
                if cov <= 0.0 {
                    continue;
                }
                let depth = (yf + 0.5 - c).max(0.0);
                let mut pc = scale(col, 1.0 - 0.12 * (depth * depth_norm).min(1.0));
                if stripes && ((depth.sqrt() * stripe_k) as u32) % 2 == 1 {
                    pc = scale(pc, 0.93);
                }
                blend_px(p, pc, cov);
            }
        }
        if tree_layer == Some(i) {
            let tcol = scale(col, 0.72);
            for _ in 0..ri(rng, 3, 9) {
                let x = rf(rng, 0.0, w);
                let xi = (x as usize).min(width - 1);
                let gy = curve.get(xi).copied().unwrap_or(h) + s * 0.004;
                let th = s * rf(rng, 0.02, 0.045);
                let cr = s * rf(rng, 0.012, 0.028);
                let tw = (s * 0.0025).max(0.6);
                cv.rect(x - tw, gy - th, x + tw, gy, tcol, 1.0);
                let stretch = rf(rng, 1.0, 2.0);
                cv.ellipse(x, gy - th - cr * 0.6 * stretch, cr, cr * stretch, tcol, 1.0);
            }
        }
    }
}

/// Overlapping out-of-focus circles of light on a dark gradient.
fn bokeh(cv: &mut Canvas, rng: &mut Rng, pal: &Palette) {
    let (w, h, s) = cv.dims();
    let t0 = rf(rng, 0.1, 0.4);
    let t1 = rf(rng, 0.2, 0.6);
    let c0 = mix(pal.deep, BLACK, t0);
    let c1 = mix(pal.mid, pal.deep, t1);
    let ang = rf(rng, 0.0, TAU);
    cv.linear_grad(ang.cos(), ang.sin(), c0, c1);
    let gx = rf(rng, 0.0, w);
    let gy = rf(rng, 0.0, h);
    let gr = s * rf(rng, 0.5, 0.9);
    let gc = pick_col(rng, &[pal.warm, pal.hot]);
    cv.glow(gx, gy, gr, gc, 0.35);

    let cols = [pal.warm, pal.hot, pal.soft, mix(pal.mid, WHITE, 0.3)];
    let la = h * rf(rng, 0.3, 0.7);
    let lb = rf(rng, -0.5, 0.5) * h / w;
    let place = |rng: &mut Rng| -> (f32, f32) {
        let x = rf(rng, -0.05 * w, 1.05 * w);
        let y = if rng.chance(0.65) {
            la + lb * x + (rf(rng, -1.0, 1.0) + rf(rng, -1.0, 1.0)) * h * 0.16
        } else {
            rf(rng, 0.0, h)
        };
        (x, y)
    };
    // Large, very soft discs in the background.
    for _ in 0..ri(rng, 5, 9) {
        let r = s * rf(rng, 0.12, 0.3);
        let (x, y) = place(&mut *rng);
        let c = pick_col(rng, &cols);
        let a = rf(rng, 0.08, 0.2);
        cv.soft_circle(x, y, r, r * 0.6, c, a);
    }
    // Smaller, crisper discs, some with a bright rim.
    for _ in 0..ri(rng, 25, 50) {
        let u = rf(rng, 0.0, 1.0);
        let r = s * (0.015 + 0.11 * u * u);
        let (x, y) = place(&mut *rng);
        let c = pick_col(rng, &cols);
        let soft = r * rf(rng, 0.03, 0.35);
        let a = rf(rng, 0.15, 0.5);
        cv.soft_circle(x, y, r, soft, c, a);
        if rng.chance(0.4) {
            let rim = (r * 0.05).max(1.0);
            cv.ring(x, y, r - rim * 0.5, rim, c, a * 0.8);
        }
    }
}

/// Poster-style diagonal bands with a striped sun, halftone dots and thin rules.
fn bands(cv: &mut Canvas, rng: &mut Rng, pal: &Palette) {
    let (w, h, s) = cv.dims();
    let deg = rf(rng, 20.0, 70.0) + if rng.chance(0.5) { 90.0 } else { 0.0 };
    let (ny, nx) = deg.to_radians().sin_cos();
    let us = [0.0, nx * w, ny * h, nx * w + ny * h];
    let umin = us.iter().fold(f32::MAX, |a, &b| a.min(b));
    let umax = us.iter().fold(f32::MIN, |a, &b| a.max(b));
    let cols = [pal.deep, pal.mid, pal.soft, pal.warm, pal.hot];
    let mut bounds = vec![umin - 2.0];
    let mut colours: Vec<Col> = Vec::new();
    let mut prev = usize::MAX;
    let mut u = umin - 2.0;
    while u < umax + 2.0 && colours.len() < 200 {
        let mut k = rng.below(cols.len());
        if k == prev {
            k = (k + 1 + rng.below(cols.len() - 1)) % cols.len();
        }
        prev = k;
        colours.push(cols[k]);
        let bw = if rng.chance(0.3) { s * rf(rng, 0.01, 0.03) } else { s * rf(rng, 0.06, 0.22) };
        u += bw.max(2.0);
        bounds.push(u);
    }
    let n = colours.len();
    if n == 0 {
        return;
    }
    cv.shade(|x, y, p| {
        let u = (x as f32 + 0.5) * nx + (y as f32 + 0.5) * ny;
        let i = bounds.partition_point(|&b| b <= u).saturating_sub(1).min(n - 1);
        let mut c = colours[i];
        let dl = u - bounds[i];
        let dr = bounds[i + 1] - u;
        if dl < 0.5 && i > 0 {
            c = mix(colours[i - 1], c, 0.5 + dl.max(-0.5));
        } else if dr < 0.5 && i + 1 < n {
            c = mix(colours[i + 1], c, 0.5 + dr.max(-0.5));
        }
        *p = c;
    });

    // A big sun, maybe cut by horizontal gaps in its lower half.
    if rng.chance(0.75) {
        let r = s * rf(rng, 0.2, 0.38);
        let cx = w * rf(rng, 0.25, 0.8);
        let cy = h * rf(rng, 0.25, 0.65);
        let sc = pick_col(rng, &[pal.hot, pal.warm, pal.soft]);
        let gaps = if rng.chance(0.6) { ri(rng, 3, 6) } else { 0 };
        let mut gap_list = [(0.0f32, 0.0f32); 6];
        for (g, slot) in gap_list.iter_mut().enumerate().take(gaps) {
            let t = (g as f32 + 1.0) / (gaps as f32 + 1.0);
            *slot = (cy + r * (0.1 + 0.85 * t), (r * 0.02 * (1.0 + 2.0 * t)).max(0.6));
        }
        let gl = &gap_list[..gaps.min(6)];
        cv.fill_sdf([cx - r, cy - r, cx + r, cy + r], sc, 1.0, |x, y| {
            let dc = dist(x - cx, y - cy) - r;
            let mut dg = f32::MAX;
            for &(m, hh) in gl {
                dg = dg.min((y - m).abs() - hh);
            }
            dc.max(-dg)
        });
    }

    // A halftone patch whose dots grow across it.
    if rng.chance(0.5) {
        let cell = (s * rf(rng, 0.025, 0.04)).max(3.0);
        let rx0 = w * rf(rng, 0.0, 0.5);
        let ry0 = h * rf(rng, 0.0, 0.5);
        let rw = w * rf(rng, 0.25, 0.5);
        let rh = h * rf(rng, 0.25, 0.5);
        let dc = pick_col(rng, &[pal.deep, pal.soft, pal.hot]);
        cv.fill_sdf([rx0, ry0, rx0 + rw, ry0 + rh], dc, 0.9, |x, y| {
            let gx = ((x - rx0) / cell).floor();
            let gy = ((y - ry0) / cell).floor();
            let ccx = rx0 + (gx + 0.5) * cell;
            let ccy = ry0 + (gy + 0.5) * cell;
            let t = ((ccx - rx0) / rw.max(1.0)).clamp(0.0, 1.0);
            let d = dist(x - ccx, y - ccy) - cell * 0.45 * t;
            d.max(rx0 - x).max(x - (rx0 + rw)).max(ry0 - y).max(y - (ry0 + rh))
        });
    }

    // Thin rules parallel to the bands.
    let (dx, dy) = (-ny, nx);
    let reach = w + h;
    for _ in 0..ri(rng, 1, 3) {
        let px = rf(rng, 0.0, w);
        let py = rf(rng, 0.0, h);
        let lw = (s * rf(rng, 0.003, 0.008)).max(1.0);
        let c = pick_col(rng, &[pal.soft, pal.deep]);
        cv.segment(px - dx * reach, py - dy * reach, px + dx * reach, py + dy * reach, lw, c, 0.8);
    }
}

/// A stylised market chart: bars or a line with a fading area fill.
fn chart(cv: &mut Canvas, rng: &mut Rng, pal: &Palette) {
    let (w, h, s) = cv.dims();
    let dark = rng.chance(0.5);
    let (bg_top, bg_bottom, ink, series0, accent) = if dark {
        (mix(pal.deep, pal.mid, 0.35), mix(pal.deep, BLACK, 0.3), pal.soft, pal.warm, pal.hot)
    } else {
        (mix(pal.soft, WHITE, 0.35), mix(pal.soft, pal.mid, 0.18), pal.deep, pal.mid, pal.hot)
    };
    let series = if (luma(series0) - luma(bg_bottom)).abs() < 60.0 { ink } else { series0 };
    let accent = if (luma(accent) - luma(bg_bottom)).abs() < 40.0 { ink } else { accent };
    cv.vgrad(&[(0.0, bg_top), (1.0, bg_bottom)]);

    let (x0, x1, y0, y1) = (w * 0.07, w * 0.95, h * 0.16, h * 0.84);
    let lw = (s * 0.0022).max(1.0);
    let grid = ri(rng, 3, 6);
    for g in 0..=grid {
        let y = y0 + (y1 - y0) * g as f32 / grid as f32;
        let a = if g == grid { 0.5 } else { 0.14 };
        cv.rect(x0, y - lw * 0.5, x1, y + lw * 0.5, ink, a);
    }
    // Ghost title chips, suggesting a caption.
    let chip_h = (s * 0.022).max(2.0);
    let chip_y = h * 0.05;
    let chip_w = w * rf(rng, 0.12, 0.25);
    cv.rbox(x0, chip_y, x0 + chip_w, chip_y + chip_h, chip_h * 0.5, ink, 0.5);
    let chip2 = w * rf(rng, 0.06, 0.14);
    let cx2 = x0 + chip_w + chip_h;
    cv.rbox(cx2, chip_y, cx2 + chip2, chip_y + chip_h, chip_h * 0.5, ink, 0.25);

    if rng.chance(0.5) {
        // Bars.
        let n = ri(rng, 7, 16);
        let step = (x1 - x0) / n as f32;
        let bw = step * rf(rng, 0.5, 0.72);
        let mut v = rf(rng, 0.2, 0.5);
        let trend = rf(rng, -0.02, 0.06);
        let hl = if rng.chance(0.5) { n - 1 } else { rng.below(n) };
        let mut tops = Vec::with_capacity(n);
        for k in 0..n {
            v = (v + trend + rf(rng, -0.15, 0.15)).clamp(0.08, 1.0);
            let cx = x0 + (k as f32 + 0.5) * step;
            let top = y1 - v * (y1 - y0);
            let c = if k == hl { accent } else { series };
            let r = bw * 0.18;
            let hw = bw * 0.5;
            let ccy = (top + y1 + r) * 0.5;
            let hh = (y1 + r - top) * 0.5;
            cv.fill_sdf([cx - hw, top, cx + hw, y1], c, 0.95, |x, y| sd_rbox(x - cx, y - ccy, hw, hh, r).max(y - y1));
            tops.push((cx, top - s * 0.03));
        }
        if rng.chance(0.45) {
            let tl = (s * 0.004).max(1.0);
            for pair in tops.windows(2) {
                let ((ax, ay), (bx, by)) = (pair[0], pair[1]);
                cv.segment(ax, ay, bx, by, tl, ink, 0.7);
            }
            for &(px, py) in &tops {
                cv.circle(px, py, tl * 1.6, ink, 0.8);
            }
        }
    } else {
        // A line with an area fill, maybe with a faint benchmark behind it.
        let walk = |rng: &mut Rng, n: usize| -> Vec<(f32, f32)> {
            let mut v = rf(rng, 0.25, 0.6);
            let trend = rf(rng, -0.015, 0.03);
            let mut pts = Vec::with_capacity(n);
            for k in 0..n {
                if k > 0 {
                    v = (v + trend + rf(rng, -0.09, 0.09)).clamp(0.05, 0.97);
                }
                let x = x0 + (x1 - x0) * k as f32 / (n - 1).max(1) as f32;
                pts.push((x, y1 - v * (y1 - y0)));
            }
            pts
        };
        let n = ri(rng, 10, 28);
        let line_w = (s * 0.0065).max(1.5);
        if rng.chance(0.5) {
            let bench = walk(&mut *rng, n);
            for pair in bench.windows(2) {
                let ((ax, ay), (bx, by)) = (pair[0], pair[1]);
                cv.segment(ax, ay, bx, by, line_w * 0.6, ink, 0.35);
            }
        }
        let pts = walk(&mut *rng, n);
        // Area under the line.
        let xs = span(x0, x1, cv.w);
        let mut ly = Vec::with_capacity(xs.len());
        let mut seg = 0;
        for x in xs.clone() {
            let xf = x as f32 + 0.5;
            while seg + 2 < pts.len() && pts[seg + 1].0 < xf {
                seg += 1;
            }
            let (ax, ay) = pts.get(seg).copied().unwrap_or((x0, y1));
            let (bx, by) = pts.get(seg + 1).copied().unwrap_or((x1, y1));
            let t = ((xf - ax) / (bx - ax).max(1e-3)).clamp(0.0, 1.0);
            ly.push(ay + (by - ay) * t);
        }
        let area = mix(series, accent, 0.3);
        let a0 = 0.55;
        let width = cv.w;
        for y in span(y0 - 1.0, y1, cv.h) {
            let yf = y as f32;
            let row = &mut cv.px[y * width + xs.start..y * width + xs.end];
            for (p, &l) in row.iter_mut().zip(ly.iter()) {
                let cov = (yf + 1.0 - l).clamp(0.0, 1.0);
                if cov > 0.0 {
                    let depth = ((yf - l) / (y1 - l).max(1.0)).clamp(0.0, 1.0);
                    blend_px(p, area, cov * a0 * (1.0 - 0.85 * depth));
                }
            }
        }
        for pair in pts.windows(2) {
            let ((ax, ay), (bx, by)) = (pair[0], pair[1]);
            cv.segment(ax, ay, bx, by, line_w, series, 1.0);
        }
        if let Some(&(ex, ey)) = pts.last() {
            cv.glow(ex, ey, line_w * 9.0, accent, 0.4);
            cv.circle(ex, ey, line_w * 1.4, accent, 1.0);
        }
    }
}

/// A floodlit pitch in perspective below stands full of spectators.
fn stadium(cv: &mut Canvas, rng: &mut Rng, pal: &Palette) {
    let (w, h, s) = cv.dims();
    let green_t = rf(rng, 0.0, 0.2);
    let grass_a = mix(hex(0x2f7a3a), pal.mid, green_t);
    let grass_b = mix(grass_a, WHITE, 0.07);
    let surround = scale(grass_a, 0.82);
    let line_c = hex(0xf3f1e8);
    let cx = w * rf(rng, 0.42, 0.58);
    let yh = -h * rf(rng, 0.1, 0.5);
    let far_y = h * rf(rng, 0.34, 0.44);
    let near_y = h * rf(rng, 0.94, 1.06);
    let dfar = far_y - yh;
    let dnear = near_y - yh;
    let zf = h / dfar;
    let zn = h / dnear;
    let zc = (zf + zn) * 0.5;
    let zl = zf - zn;
    let xh = w * rf(rng, 0.36, 0.5) / dfar;
    let stripe = 2.0 * xh / ri(rng, 10, 18) as f32;
    let rc = zl * 0.2;
    let pd = xh * 0.16;
    let pw = zl * 0.32;
    let stand_bottom = far_y - h * 0.045;
    let board_h = (h * 0.022).max(1.0);
    let roof_y = h * rf(rng, 0.03, 0.1);
    let cell = (s * rf(rng, 0.012, 0.018)).max(3.0);
    let crowd = [pal.warm, pal.hot, pal.soft, pal.mid, mix(pal.deep, WHITE, 0.15), hex(0xe8e4da)];
    let stand_bg = mix(pal.deep, BLACK, 0.5);
    let roof = mix(pal.deep, BLACK, 0.7);
    let boards = [pal.hot, pal.warm];
    let board_w = w * rf(rng, 0.08, 0.16);
    let shadow = rng.chance(0.6);
    let sh0 = far_y + h * rf(rng, -0.05, 0.15);
    let sh1 = h * rf(rng, -0.3, 0.3);
    let seed = rng.next_u64() as u32;
    let lw_base = s * 0.0032;
    let stand_span = (stand_bottom - roof_y).max(1.0);

    cv.shade(|x, y, p| {
        let xf = x as f32 + 0.5;
        let yf = y as f32 + 0.5;
        if yf < roof_y {
            *p = mix(roof, stand_bg, 0.5 * yf / roof_y.max(1.0));
            return;
        }
        if yf < stand_bottom - board_h {
            let gx = (xf / cell).floor();
            let gy = ((yf - roof_y) / cell).floor();
            let gyi = gy as i64;
            if gyi.rem_euclid(7) == 6 {
                *p = scale(stand_bg, 0.7);
                return;
            }
            let hsh = hash2(gx as i32, gy as i32, seed);
            let c = crowd[(hsh % 6) as usize];
            let jx = ((hsh >> 8) & 7) as f32 * cell * 0.02;
            let ccx = (gx + 0.5) * cell + jx;
            let ccy = roof_y + (gy + 0.5) * cell;
            let d = dist(xf - ccx, yf - ccy) - cell * 0.36;
            let cov = (0.5 - d).clamp(0.0, 1.0);
            let light = 0.7 + 0.3 * ((yf - roof_y) / stand_span).clamp(0.0, 1.0);
            *p = scale(mix(stand_bg, c, cov * 0.85), light);
            return;
        }
        if yf < stand_bottom {
            let k = ((xf / board_w.max(1.0)) as usize) % 2;
            let mut c = boards[k];
            let lx = (xf % board_w.max(1.0)) / board_w.max(1.0);
            let ly = (yf - (stand_bottom - board_h)) / board_h;
            if (0.2..0.8).contains(&lx) && (0.3..0.7).contains(&ly) {
                c = mix(c, WHITE, 0.45);
            }
            *p = c;
            return;
        }
        // Ground, projected onto pitch coordinates.
        let d = (yf - yh).max(1e-3);
        let z = h / d;
        let xw = (xf - cx) / d;
        let ax = xw.abs();
        let stripe_i = ((xw + xh * 8.0) / stripe).floor() as i64;
        let mut c = if stripe_i.rem_euclid(2) == 0 { grass_a } else { grass_b };
        if z > zf + zl * 0.06 || z < zn - zl * 0.08 || ax > xh * 1.07 {
            c = surround;
        }
        let fx = d;
        let fz = d * d / h;
        let lw = (lw_base * d / dnear).max(0.55);
        let mut dd = f32::MAX;
        if ax <= xh {
            dd = dd.min((z - zf).abs() * fz).min((z - zn).abs() * fz);
        }
        if (zn..=zf).contains(&z) {
            dd = dd.min((ax - xh).abs() * fx).min(ax * fx);
        }
        let dzc = (z - zc).abs();
        if dzc <= pw {
            dd = dd.min((ax - (xh - pd)).abs() * fx);
        }
        if (xh - pd..=xh).contains(&ax) {
            dd = dd.min((dzc - pw).abs() * fz);
        }
        // Centre circle and spot, with the distance converted to pixels by the gradient.
        let rho = (xw * xw + (z - zc) * (z - zc)).sqrt().max(1e-6);
        let g_x = (xw / rho) / d;
        let g_y = (xw / rho) * (-xw / d) + ((z - zc) / rho) * (-h / (d * d));
        let grad = (g_x * g_x + g_y * g_y).sqrt().max(1e-9);
        dd = dd.min((rho - rc).abs() / grad);
        dd = dd.min(rho / grad - lw * 1.5);
        let cov = (lw - dd + 0.5).clamp(0.0, 1.0);
        c = mix(c, line_c, cov * 0.92);
        if shadow {
            let sl = sh0 + sh1 * xf / w;
            let sc = (sl - yf + 0.5).clamp(0.0, 1.0);
            c = scale(c, 1.0 - 0.2 * sc);
        }
        *p = scale(c, 0.9 + 0.15 * (yf / h));
    });

    // Floodlights along the roof.
    let lights = ri(rng, 2, 4);
    let lamp = mix(WHITE, pal.soft, 0.3);
    for i in 0..lights {
        let lx = w * (i as f32 + 0.5) / lights as f32 + w * rf(rng, -0.05, 0.05);
        cv.glow(lx, roof_y, s * 0.14, lamp, 0.5);
        cv.rbox_c(lx, roof_y - s * 0.005, s * 0.03, s * 0.008, s * 0.004, WHITE, 0.95);
    }
}

/// Concentric rings around a glowing nucleus, with optional orbits and particles.
fn rings(cv: &mut Canvas, rng: &mut Rng, pal: &Palette) {
    let (w, h, s) = cv.dims();
    let cx = w * rf(rng, 0.3, 0.7);
    let cy = h * rf(rng, 0.3, 0.7);
    let ti = rf(rng, 0.0, 0.4);
    let to = rf(rng, 0.3, 0.6);
    let inner = mix(pal.mid, pal.deep, ti);
    let outer = mix(pal.deep, BLACK, to);
    let rmax = dist(cx.max(w - cx), cy.max(h - cy)) + 2.0;
    let cols = [pal.warm, pal.hot, pal.soft, pal.mid];

    let mut radii = vec![0.0f32];
    let mut paint: Vec<(Col, f32)> = Vec::new();
    let mut r = (s * rf(rng, 0.04, 0.08)).max(1.0);
    radii.push(r);
    paint.push((mix(pal.soft, WHITE, 0.3), 1.0));
    while r < rmax && radii.len() < 300 {
        let wdt = if rng.chance(0.3) { s * rf(rng, 0.004, 0.012) } else { s * rf(rng, 0.02, 0.07) };
        r += wdt.max(1.0);
        radii.push(r);
        let fade = (1.0 - r / rmax).max(0.0);
        if rng.chance(0.55) {
            let c = pick_col(rng, &cols);
            paint.push((c, 0.15 + 0.7 * fade * fade));
        } else {
            paint.push((BLACK, 0.0));
        }
    }
    let n = paint.len();
    let inv_rmax = 1.0 / rmax.max(1.0);
    cv.shade(|x, y, p| {
        let d = dist(x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
        let base = mix(inner, outer, (d * inv_rmax).min(1.0));
        let at = |j: usize| {
            let (c, a) = paint[j];
            mix(base, c, a)
        };
        let i = radii.partition_point(|&b| b <= d).saturating_sub(1).min(n - 1);
        let mut c = at(i);
        let dl = d - radii[i];
        let dr = radii[i + 1] - d;
        if dl < 0.5 && i > 0 {
            c = mix(at(i - 1), c, 0.5 + dl.max(-0.5));
        } else if dr < 0.5 && i + 1 < n {
            c = mix(at(i + 1), c, 0.5 + dr.max(-0.5));
        }
        *p = c;
    });
    cv.glow(cx, cy, s * 0.25, mix(pal.soft, WHITE, 0.4), 0.45);

    // Orbits with an electron each.
    if rng.chance(0.55) {
        let k = ri(rng, 2, 3);
        let rx = s * rf(rng, 0.22, 0.4);
        let ry = rx * rf(rng, 0.22, 0.38);
        let a0 = rf(rng, 0.0, PI);
        let lw = (s * 0.0035).max(1.0);
        let oc = mix(pal.soft, WHITE, 0.3);
        for j in 0..k {
            let (sa, ca) = (a0 + PI * j as f32 / k as f32).sin_cos();
            let e = rx + lw;
            cv.fill_sdf([cx - e, cy - e, cx + e, cy + e], oc, 0.8, |x, y| {
                let (dx, dy) = (x - cx, y - cy);
                let u = dx * ca + dy * sa;
                let v = -dx * sa + dy * ca;
                sd_ellipse(u, v, rx, ry).abs() - lw * 0.5
            });
            let (st, ct) = rf(rng, 0.0, TAU).sin_cos();
            let (u, v) = (rx * ct, ry * st);
            let ex = cx + u * ca - v * sa;
            let ey = cy + u * sa + v * ca;
            let c = pick_col(rng, &[pal.hot, pal.warm]);
            cv.circle(ex, ey, lw * 2.8, c, 1.0);
        }
    }

    // Scattered particles.
    for _ in 0..ri(rng, 10, 25) {
        let x = rf(rng, 0.0, w);
        let y = rf(rng, 0.0, h);
        let r = (s * rf(rng, 0.003, 0.009)).max(0.7);
        let a = rf(rng, 0.5, 0.9);
        cv.circle(x, y, r, pal.soft, a);
    }
}

// ---------------------------------------------------------------------------------------------
// Label and portrait helpers
// ---------------------------------------------------------------------------------------------

/// Draws `words` in the bitmap font on a translucent band with an accent bar.
fn label(cv: &mut Canvas, rng: &mut Rng, pal: &Palette, words: &[&str]) {
    let mut chars: Vec<char> = Vec::new();
    for word in words {
        let word = word.trim();
        if word.is_empty() {
            continue;
        }
        if !chars.is_empty() {
            chars.push(' ');
        }
        chars.extend(word.chars().map(|c| c.to_ascii_uppercase()));
    }
    let (w, h) = (cv.w, cv.h);
    if chars.is_empty() || w < 8 || h < 8 {
        return;
    }
    let n = chars.len();
    let text_w = |sc: usize| n * 6 * sc - sc;
    let mut sc = (h / 60).max(2);
    while sc > 1 && text_w(sc) + 8 * sc > w * 88 / 100 {
        sc -= 1;
    }
    let bold = sc / 5;
    let pad_x = 3 * sc;
    let pad_y = 2 * sc;
    let bar = sc.max(2);
    let band_w = bar + 2 * pad_x + text_w(sc) + bold;
    let band_h = 7 * sc + 2 * pad_y;
    let margin = h * 6 / 100;
    let top_left = rng.chance(0.2);
    let x0 = if rng.chance(0.5) { 0 } else { margin };
    let y0 = if top_left { margin } else { h.saturating_sub(margin + band_h) };
    let band = mix(pal.deep, BLACK, 0.5);
    cv.fill_rect_i(x0, y0, x0 + band_w, y0 + band_h, band, 0.8);
    cv.fill_rect_i(x0, y0, x0 + bar, y0 + band_h, pal.hot, 1.0);
    let ink = mix(pal.soft, WHITE, 0.7);
    let tx = x0 + bar + pad_x;
    let ty = y0 + pad_y;
    for (i, &ch) in chars.iter().enumerate() {
        let gx = tx + i * 6 * sc;
        if gx >= w {
            break;
        }
        let g = glyph(ch);
        for (row, &bits) in g.iter().enumerate() {
            for col in 0..5usize {
                if bits & (0x10u8 >> col) != 0 {
                    let px = gx + col * sc;
                    let py = ty + row * sc;
                    cv.fill_rect_i(px, py, px + sc + bold, py + sc, ink, 1.0);
                }
            }
        }
    }
}

/// The glyph for `c`; unknown characters are blank.
fn glyph(c: char) -> [u8; 7] {
    FONT.iter().find(|(k, _)| *k == c).map(|(_, g)| *g).unwrap_or([0; 7])
}

/// Hair over the top of the head: a slightly larger ellipse minus a face ellipse, which makes a
/// curved hairline; `lower` lowers the hairline, `part` shifts it sideways.
fn hair_cap(cv: &mut Canvas, head: [f32; 4], lower: f32, part: f32, hair: Col) {
    let [cx, cy, rx, ry] = head;
    let (hx, hy, hrx, hry) = (cx, cy - ry * 0.06, rx * 1.07, ry * 1.05);
    let (fx, fy, frx, fry) = (cx + part * rx, cy + ry * lower, rx * 0.9, ry * 0.82);
    let bottom = cy + ry * 0.3;
    cv.fill_sdf([hx - hrx, hy - hry, hx + hrx, hy + hry], hair, 1.0, |x, y| {
        let outer = sd_ellipse(x - hx, y - hy, hrx, hry);
        let face = sd_ellipse(x - fx, y - fy, frx, fry);
        outer.max(-face).max(y - bottom)
    });
}

// ---------------------------------------------------------------------------------------------
// Canvas
// ---------------------------------------------------------------------------------------------

/// A floating-point RGB canvas, at least 1x1.
struct Canvas {
    w: usize,
    h: usize,
    px: Vec<Col>,
}

#[allow(clippy::too_many_arguments)]
impl Canvas {
    fn new(w: usize, h: usize, c: Col) -> Self {
        let (w, h) = (w.max(1), h.max(1));
        Canvas { w, h, px: vec![c; w * h] }
    }

    /// Width, height and the shorter side, as floats.
    fn dims(&self) -> (f32, f32, f32) {
        let (w, h) = (self.w as f32, self.h as f32);
        (w, h, w.min(h))
    }

    /// Calls `f(x, y, pixel)` for every pixel.
    fn shade(&mut self, mut f: impl FnMut(usize, usize, &mut Col)) {
        let w = self.w;
        for (y, row) in self.px.chunks_mut(w).enumerate() {
            for (x, p) in row.iter_mut().enumerate() {
                f(x, y, p);
            }
        }
    }

    /// Calls `f(px, py, pixel)` with pixel-centre coordinates for the pixels in `bb`
    /// (`[x0, y0, x1, y1]`, clamped to the canvas).
    fn shade_box(&mut self, bb: [f32; 4], mut f: impl FnMut(f32, f32, &mut Col)) {
        let xs = span(bb[0], bb[2], self.w);
        let ys = span(bb[1], bb[3], self.h);
        if xs.is_empty() {
            return;
        }
        let w = self.w;
        for y in ys {
            let py = y as f32 + 0.5;
            let row = &mut self.px[y * w + xs.start..y * w + xs.end];
            for (i, p) in row.iter_mut().enumerate() {
                f((xs.start + i) as f32 + 0.5, py, p);
            }
        }
    }

    /// Fills the shape whose signed distance (in pixels, negative inside) is `sd`, within `bb`.
    fn fill_sdf(&mut self, bb: [f32; 4], c: Col, alpha: f32, sd: impl Fn(f32, f32) -> f32) {
        if alpha.is_nan() || alpha <= 0.0 {
            return;
        }
        let bb = [bb[0] - 1.0, bb[1] - 1.0, bb[2] + 1.0, bb[3] + 1.0];
        self.shade_box(bb, |x, y, p| {
            let cov = (0.5 - sd(x, y)).clamp(0.0, 1.0);
            if cov > 0.0 {
                blend_px(p, c, cov * alpha);
            }
        });
    }

    fn circle(&mut self, cx: f32, cy: f32, r: f32, c: Col, a: f32) {
        self.fill_sdf([cx - r, cy - r, cx + r, cy + r], c, a, |x, y| dist(x - cx, y - cy) - r);
    }

    /// A disc whose edge fades over `soft` pixels.
    fn soft_circle(&mut self, cx: f32, cy: f32, r: f32, soft: f32, c: Col, a: f32) {
        let soft = soft.max(1.0);
        let e = r + soft;
        self.fill_sdf([cx - e, cy - e, cx + e, cy + e], c, a, |x, y| (dist(x - cx, y - cy) - r) / soft);
    }

    /// A circle outline of radius `r` and line width `lw`.
    fn ring(&mut self, cx: f32, cy: f32, r: f32, lw: f32, c: Col, a: f32) {
        let e = r + lw;
        self.fill_sdf([cx - e, cy - e, cx + e, cy + e], c, a, |x, y| (dist(x - cx, y - cy) - r).abs() - lw * 0.5);
    }

    fn ellipse(&mut self, cx: f32, cy: f32, rx: f32, ry: f32, c: Col, a: f32) {
        let (rx, ry) = (rx.max(0.5), ry.max(0.5));
        self.fill_sdf([cx - rx, cy - ry, cx + rx, cy + ry], c, a, |x, y| sd_ellipse(x - cx, y - cy, rx, ry));
    }

    /// An axis-aligned rectangle with exact fractional-edge coverage.
    fn rect(&mut self, x0: f32, y0: f32, x1: f32, y1: f32, c: Col, a: f32) {
        if x0.is_nan() || y0.is_nan() || x1 <= x0 || y1 <= y0 {
            return;
        }
        let xs = span(x0, x1, self.w);
        let ys = span(y0, y1, self.h);
        let w = self.w;
        for y in ys {
            let yf = y as f32;
            let cy = (y1.min(yf + 1.0) - y0.max(yf)).clamp(0.0, 1.0);
            if cy <= 0.0 {
                continue;
            }
            let row = &mut self.px[y * w + xs.start..y * w + xs.end];
            for (i, p) in row.iter_mut().enumerate() {
                let xf = (xs.start + i) as f32;
                let cx = (x1.min(xf + 1.0) - x0.max(xf)).clamp(0.0, 1.0);
                blend_px(p, c, a * cx * cy);
            }
        }
    }

    /// A rounded rectangle given by its centre and half sizes.
    fn rbox_c(&mut self, cx: f32, cy: f32, hw: f32, hh: f32, r: f32, c: Col, a: f32) {
        self.fill_sdf([cx - hw, cy - hh, cx + hw, cy + hh], c, a, |x, y| sd_rbox(x - cx, y - cy, hw, hh, r));
    }

    /// A rounded rectangle given by its corners.
    fn rbox(&mut self, x0: f32, y0: f32, x1: f32, y1: f32, r: f32, c: Col, a: f32) {
        let (hw, hh) = ((x1 - x0).abs() * 0.5, (y1 - y0).abs() * 0.5);
        self.rbox_c((x0 + x1) * 0.5, (y0 + y1) * 0.5, hw, hh, r, c, a);
    }

    /// A line from a to b with round caps, `width` pixels wide.
    fn segment(&mut self, ax: f32, ay: f32, bx: f32, by: f32, width: f32, c: Col, a: f32) {
        let e = width * 0.5;
        let bb = [ax.min(bx) - e, ay.min(by) - e, ax.max(bx) + e, ay.max(by) + e];
        self.fill_sdf(bb, c, a, |x, y| sd_segment(x, y, ax, ay, bx, by) - e);
    }

    fn tri(&mut self, t: [(f32, f32); 3], c: Col, a: f32) {
        let bb = [
            t[0].0.min(t[1].0).min(t[2].0),
            t[0].1.min(t[1].1).min(t[2].1),
            t[0].0.max(t[1].0).max(t[2].0),
            t[0].1.max(t[1].1).max(t[2].1),
        ];
        self.fill_sdf(bb, c, a, |x, y| sd_tri(x, y, &t));
    }

    /// A radial glow: alpha `strength` at the centre falling smoothly to zero at `r`.
    fn glow(&mut self, cx: f32, cy: f32, r: f32, c: Col, strength: f32) {
        if r.is_nan() || r < 0.5 {
            return;
        }
        let inv = 1.0 / (r * r);
        self.shade_box([cx - r, cy - r, cx + r, cy + r], |x, y, p| {
            let d2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) * inv;
            if d2 < 1.0 {
                let f = 1.0 - d2;
                blend_px(p, c, strength * f * f);
            }
        });
    }

    /// Fills each row with the colour of `stops` (position 0..1 from top to bottom).
    fn vgrad(&mut self, stops: &[(f32, Col)]) {
        let h = self.h as f32;
        let w = self.w;
        for (y, row) in self.px.chunks_mut(w).enumerate() {
            row.fill(grad_at(stops, (y as f32 + 0.5) / h));
        }
    }

    /// A linear gradient from `c0` to `c1` along direction (dx, dy), in normalised coordinates.
    fn linear_grad(&mut self, dx: f32, dy: f32, c0: Col, c1: Col) {
        let (w, h) = (self.w as f32, self.h as f32);
        self.shade(|x, y, p| {
            let t = 0.5 + ((x as f32 + 0.5) / w - 0.5) * dx + ((y as f32 + 0.5) / h - 0.5) * dy;
            *p = mix(c0, c1, t.clamp(0.0, 1.0));
        });
    }

    /// Darkens towards the corners by up to `k`.
    fn vignette(&mut self, k: f32) {
        let (w, h) = (self.w as f32, self.h as f32);
        self.shade(|x, y, p| {
            let dx = (x as f32 + 0.5) / w * 2.0 - 1.0;
            let dy = (y as f32 + 0.5) / h * 2.0 - 1.0;
            let f = 1.0 - k * (dx * dx + dy * dy) * 0.5;
            for ch in p.iter_mut() {
                *ch *= f;
            }
        });
    }

    /// An integer rectangle `[x0, x1) x [y0, y1)`, clamped to the canvas.
    fn fill_rect_i(&mut self, x0: usize, y0: usize, x1: usize, y1: usize, c: Col, a: f32) {
        let (x1, y1) = (x1.min(self.w), y1.min(self.h));
        if x0 >= x1 || y0 >= y1 {
            return;
        }
        let w = self.w;
        for y in y0..y1 {
            for p in &mut self.px[y * w + x0..y * w + x1] {
                blend_px(p, c, a);
            }
        }
    }

    /// Quantises to 8-bit RGB with a 4x4 ordered dither.
    fn into_image(self) -> RgbImage {
        let Canvas { w, h, px } = self;
        RgbImage::from_fn(w as u32, h as u32, |x, y| {
            let c = px.get(y as usize * w + x as usize).copied().unwrap_or(BLACK);
            let d = (BAYER[((y & 3) * 4 + (x & 3)) as usize] + 0.5) / 16.0 - 0.5;
            Rgb([quant(c[0] + d), quant(c[1] + d), quant(c[2] + d)])
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy)]
struct Palette {
    deep: Col,
    mid: Col,
    soft: Col,
    warm: Col,
    hot: Col,
}

impl Palette {
    fn pick(rng: &mut Rng) -> Self {
        let p = PALETTES[rng.below(PALETTES.len())];
        let mut pal = Palette { deep: hex(p[0]), mid: hex(p[1]), soft: hex(p[2]), warm: hex(p[3]), hot: hex(p[4]) };
        if rng.chance(0.5) {
            std::mem::swap(&mut pal.warm, &mut pal.hot);
        }
        pal
    }
}

fn hex(c: u32) -> Col {
    [((c >> 16) & 255) as f32, ((c >> 8) & 255) as f32, (c & 255) as f32]
}

fn mix(a: Col, b: Col, t: f32) -> Col {
    [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]
}

fn scale(c: Col, k: f32) -> Col {
    [c[0] * k, c[1] * k, c[2] * k]
}

fn luma(c: Col) -> f32 {
    0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]
}

fn quant(v: f32) -> u8 {
    v.round().clamp(0.0, 255.0) as u8
}

fn blend_px(p: &mut Col, c: Col, a: f32) {
    if a.is_nan() || a <= 0.0 {
        return;
    }
    let a = a.min(1.0);
    p[0] += (c[0] - p[0]) * a;
    p[1] += (c[1] - p[1]) * a;
    p[2] += (c[2] - p[2]) * a;
}

/// The colour at `t` along gradient `stops` (sorted by position).
fn grad_at(stops: &[(f32, Col)], t: f32) -> Col {
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

/// A uniform float in `lo..hi`.
fn rf(rng: &mut Rng, lo: f32, hi: f32) -> f32 {
    lo + (hi - lo) * rng.f64() as f32
}

/// A uniform integer in `lo..=hi` (just `lo` when the range is empty).
fn ri(rng: &mut Rng, lo: usize, hi: usize) -> usize {
    if hi <= lo { lo } else { rng.range(lo, hi) }
}

fn pick_col(rng: &mut Rng, cols: &[Col]) -> Col {
    if cols.is_empty() {
        return BLACK;
    }
    cols.get(rng.below(cols.len())).copied().unwrap_or(BLACK)
}

/// The pixel indexes covering `lo..hi`, clamped to `0..n`.
fn span(lo: f32, hi: f32, n: usize) -> Range<usize> {
    let a = (lo.floor().max(0.0) as usize).min(n);
    let b = (hi.ceil().max(0.0) as usize).min(n);
    a..b.max(a)
}

fn hash2(x: i32, y: i32, seed: u32) -> u32 {
    let mut h = (x as u32).wrapping_mul(0x27d4_eb2d) ^ (y as u32).wrapping_mul(0x1656_67b1) ^ seed;
    h ^= h >> 15;
    h = h.wrapping_mul(0x2c1b_3c6d);
    h ^= h >> 12;
    h = h.wrapping_mul(0x297a_2d39);
    h ^= h >> 15;
    h
}

fn dist(dx: f32, dy: f32) -> f32 {
    (dx * dx + dy * dy).sqrt()
}

/// Approximate signed distance to an axis-aligned ellipse centred at the origin (exact enough
/// near the edge, which is all anti-aliasing needs).
fn sd_ellipse(dx: f32, dy: f32, rx: f32, ry: f32) -> f32 {
    let (rx, ry) = (rx.max(0.5), ry.max(0.5));
    let (ix, iy) = (1.0 / (rx * rx), 1.0 / (ry * ry));
    let f = dx * dx * ix + dy * dy * iy - 1.0;
    let g = 2.0 * ((dx * ix) * (dx * ix) + (dy * iy) * (dy * iy)).sqrt();
    if g > 1e-9 { f / g } else { -rx.min(ry) }
}

/// Signed distance to a rounded box centred at the origin with half sizes `hw`, `hh`.
fn sd_rbox(dx: f32, dy: f32, hw: f32, hh: f32, r: f32) -> f32 {
    let r = r.min(hw).min(hh).max(0.0);
    let qx = dx.abs() - hw + r;
    let qy = dy.abs() - hh + r;
    let (ox, oy) = (qx.max(0.0), qy.max(0.0));
    (ox * ox + oy * oy).sqrt() + qx.max(qy).min(0.0) - r
}

/// Distance from (px, py) to the segment a-b.
fn sd_segment(px: f32, py: f32, ax: f32, ay: f32, bx: f32, by: f32) -> f32 {
    let (pax, pay) = (px - ax, py - ay);
    let (bax, bay) = (bx - ax, by - ay);
    let l2 = bax * bax + bay * bay;
    let t = if l2 > 1e-9 { ((pax * bax + pay * bay) / l2).clamp(0.0, 1.0) } else { 0.0 };
    dist(pax - bax * t, pay - bay * t)
}

/// Signed distance (exact inside, approximate outside) to a triangle of either orientation.
fn sd_tri(px: f32, py: f32, t: &[(f32, f32); 3]) -> f32 {
    let area = (t[1].0 - t[0].0) * (t[2].1 - t[0].1) - (t[1].1 - t[0].1) * (t[2].0 - t[0].0);
    let sign = if area >= 0.0 { 1.0 } else { -1.0 };
    let mut d = f32::MIN;
    for i in 0..3 {
        let (ax, ay) = t[i];
        let (bx, by) = t[(i + 1) % 3];
        let (ex, ey) = (bx - ax, by - ay);
        let len = dist(ex, ey).max(1e-6);
        let (nx, ny) = (ey / len * sign, -ex / len * sign);
        d = d.max((px - ax) * nx + (py - ay) * ny);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn distinct(img: &RgbImage) -> usize {
        let mut set = HashSet::new();
        for y in 0..img.height() {
            for x in 0..img.width() {
                set.insert(img.get_pixel(x, y).0);
            }
        }
        set.len()
    }

    fn differ(a: &RgbImage, b: &RgbImage) -> bool {
        a.width() != b.width()
            || a.height() != b.height()
            || (0..a.height()).any(|y| (0..a.width()).any(|x| a.get_pixel(x, y) != b.get_pixel(x, y)))
    }

    #[test]
    fn every_hero_style_is_sized_and_varied() {
        for style in 0..STYLES {
            for seed in 0..4u64 {
                let mut rng = Rng::new(seed * 31 + style as u64);
                let img = hero_style(&mut rng, 320, 180, &["RAIL", "STRIKE"], style);
                assert_eq!((img.width(), img.height()), (320, 180));
                let n = distinct(&img);
                assert!(n > 50, "style {style} seed {seed}: only {n} colours");
            }
            let mut rng = Rng::new(1000 + style as u64);
            let img = hero_style(&mut rng, 1600, 900, &["MARKETS"], style);
            assert_eq!((img.width(), img.height()), (1600, 900));
            assert!(distinct(&img) > 50, "style {style} at 1600x900 is too flat");
        }
    }

    #[test]
    fn hero_via_public_api() {
        for (w, h) in [(320u32, 180u32), (1600, 900)] {
            let img = hero(&mut Rng::new(7), w, h, &["CITY", "BUDGET"]);
            assert_eq!((img.width(), img.height()), (w, h));
            assert!(distinct(&img) > 50);
        }
    }

    #[test]
    fn different_seeds_give_different_heroes() {
        let a = hero(&mut Rng::new(1), 320, 180, &["VOTE"]);
        let b = hero(&mut Rng::new(2), 320, 180, &["VOTE"]);
        assert!(differ(&a, &b));
        let c = hero(&mut Rng::new(1), 320, 180, &["VOTE"]);
        assert!(!differ(&a, &c), "the same seed must give the same picture");
    }

    #[test]
    fn portraits_are_square_and_varied() {
        for size in [96u32, 200, 800] {
            let img = portrait(&mut Rng::new(size as u64), size);
            assert_eq!((img.width(), img.height()), (size, size));
            assert!(distinct(&img) > 50, "portrait {size} too flat");
        }
        for seed in 0..24u64 {
            let img = portrait(&mut Rng::new(seed), 128);
            assert!(distinct(&img) > 50, "portrait seed {seed} too flat");
        }
        let a = portrait(&mut Rng::new(3), 128);
        let b = portrait(&mut Rng::new(4), 128);
        assert!(differ(&a, &b));
    }

    #[test]
    fn odd_words_and_tiny_sizes_do_not_panic() {
        let odd: [&str; 6] = ["ÉCOLE", "Ω≈", "a_b/c", "", "   ", "O'NEIL & CO., 9-5."];
        for style in 0..STYLES {
            let mut rng = Rng::new(style as u64);
            let img = hero_style(&mut rng, 320, 180, &odd, style);
            assert_eq!(img.width(), 320);
            let img = hero_style(&mut rng, 320, 180, &[], style);
            assert_eq!(img.height(), 180);
            let long = ["SUPERCALIFRAGILISTICEXPIALIDOCIOUS"; 3];
            let img = hero_style(&mut rng, 320, 180, &long, style);
            assert_eq!(img.width(), 320);
            for (w, h) in [(0u32, 0u32), (1, 1), (2, 3), (3, 2), (7, 7), (40, 9), (9, 40), (2400, 12)] {
                let img = hero_style(&mut rng, w, h, &["X"], style);
                assert_eq!((img.width(), img.height()), (w, h));
            }
        }
        for size in [0u32, 1, 2, 5, 17] {
            let img = portrait(&mut Rng::new(9), size);
            assert_eq!((img.width(), img.height()), (size, size));
        }
    }

    #[test]
    fn glyphs_cover_the_required_characters() {
        for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.,&'".chars() {
            assert!(glyph(c).iter().any(|&r| r != 0), "missing glyph {c}");
        }
        assert_eq!(glyph('?'), [0; 7]);
        assert_eq!(glyph(' '), [0; 7]);
    }
}

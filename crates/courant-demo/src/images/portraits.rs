//! Author portraits: abstract head-and-shoulders figures with varied skin, hair, clothes and
//! glasses.

use image::RgbImage;

use crate::rng::Rng;

use super::canvas::Canvas;
use super::colour::{Col, Palette, WHITE, hex, luma, mix, pick_col, scale};
use super::random::{rf, ri};
use super::shapes::sd_ellipse;

use std::f32::consts::{PI, TAU};

const SKIN: [u32; 8] = [0xf6d5bd, 0xeec1a0, 0xe0ac85, 0xc99069, 0xb07550, 0x8f5a3a, 0x6f4129, 0x553020];

const HAIR: [u32; 10] =
    [0x1c1714, 0x2e201a, 0x4a3020, 0x6e4a2e, 0x9c6b3f, 0xcfa76a, 0xa9a49c, 0xdedad2, 0x8a3324, 0x30446e];

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::tests::{differ, distinct};

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
}

//! Hero styles that picture places: a city skyline, rolling hills and a floodlit stadium.

use crate::rng::Rng;

use super::canvas::{Canvas, blend_px, span};
use super::colour::{BLACK, Palette, WHITE, grad_at, hex, mix, pick_col, scale};
use super::random::{hash2, rf, ri};
use super::shapes::dist;

use std::f32::consts::TAU;

/// Sky gradient, sun or moon, and layered city silhouettes with lit windows. Returns what it
/// drew, in words.
pub(super) fn skyline(cv: &mut Canvas, rng: &mut Rng, pal: &Palette) -> &'static str {
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
    let crescent = night && rng.chance(0.6);
    if crescent {
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
    match (night, crescent) {
        (true, true) => "a city skyline at night under a crescent moon, with lit windows",
        (true, false) => "a city skyline at night under a full moon, with lit windows",
        (false, _) => "a city skyline with the sun low over the rooftops",
    }
}

/// Rolling hills in layers with atmospheric perspective, furrowed fields and a few trees.
/// Returns what it drew, in words.
pub(super) fn hills(cv: &mut Canvas, rng: &mut Rng, pal: &Palette) -> &'static str {
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
    if tree_layer.is_some() {
        "rolling hills and fields dotted with trees under a bright sun"
    } else {
        "rolling hills and fields under a bright sun"
    }
}

/// A floodlit pitch in perspective below stands full of spectators. Returns what it drew, in
/// words.
pub(super) fn stadium(cv: &mut Canvas, rng: &mut Rng, pal: &Palette) -> &'static str {
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
    "a floodlit football pitch below stands full of spectators"
}

//! Abstract hero styles: bokeh, poster bands, a market chart and concentric rings.

use crate::rng::Rng;

use super::canvas::{Canvas, blend_px, span};
use super::colour::{BLACK, Col, Palette, WHITE, luma, mix, pick_col};
use super::random::{rf, ri};
use super::shapes::{dist, sd_ellipse, sd_rbox};

use std::f32::consts::{PI, TAU};

/// Overlapping out-of-focus circles of light on a dark gradient. Returns what it drew, in words.
pub(super) fn bokeh(cv: &mut Canvas, rng: &mut Rng, pal: &Palette) -> &'static str {
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
    "soft circles of out-of-focus light on a dark background"
}

/// Poster-style diagonal bands with a striped sun, halftone dots and thin rules. Returns what it
/// drew, in words.
pub(super) fn bands(cv: &mut Canvas, rng: &mut Rng, pal: &Palette) -> &'static str {
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
        return "a poster of bold diagonal stripes";
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
    let mut what = "a poster of bold diagonal stripes";
    if rng.chance(0.75) {
        let r = s * rf(rng, 0.2, 0.38);
        let cx = w * rf(rng, 0.25, 0.8);
        let cy = h * rf(rng, 0.25, 0.65);
        let sc = pick_col(rng, &[pal.hot, pal.warm, pal.soft]);
        let gaps = if rng.chance(0.6) { ri(rng, 3, 6) } else { 0 };
        what = if gaps > 0 {
            "a poster of bold diagonal stripes behind a large striped sun"
        } else {
            "a poster of bold diagonal stripes behind a large sun"
        };
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
    what
}

/// A stylised market chart: bars or a line with a fading area fill. Returns what it drew, in
/// words.
pub(super) fn chart(cv: &mut Canvas, rng: &mut Rng, pal: &Palette) -> &'static str {
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

    // How far the series ends above where it starts, as a fraction of the chart's height.
    let rise;
    let bars = rng.chance(0.5);
    if bars {
        // Bars.
        let n = ri(rng, 7, 16);
        let step = (x1 - x0) / n as f32;
        let bw = step * rf(rng, 0.5, 0.72);
        let mut v = rf(rng, 0.2, 0.5);
        let trend = rf(rng, -0.02, 0.06);
        let hl = if rng.chance(0.5) { n - 1 } else { rng.below(n) };
        let mut tops = Vec::with_capacity(n);
        let mut first = None;
        for k in 0..n {
            v = (v + trend + rf(rng, -0.15, 0.15)).clamp(0.08, 1.0);
            if first.is_none() {
                first = Some(v);
            }
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
        rise = v - first.unwrap_or(v);
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
        rise = match (pts.first(), pts.last()) {
            (Some(a), Some(b)) => (a.1 - b.1) / (y1 - y0).max(1.0),
            _ => 0.0,
        };
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
    match (bars, rise) {
        (true, r) if r > 0.15 => "a bar chart whose bars climb to the right",
        (true, r) if r < -0.15 => "a bar chart whose bars fall away to the right",
        (true, _) => "a bar chart of uneven bars",
        (false, r) if r > 0.15 => "a line chart that climbs to the right",
        (false, r) if r < -0.15 => "a line chart that falls to the right",
        (false, _) => "a line chart that wavers around one level",
    }
}

/// Concentric rings around a glowing nucleus, with optional orbits and particles. Returns what
/// it drew, in words.
pub(super) fn rings(cv: &mut Canvas, rng: &mut Rng, pal: &Palette) -> &'static str {
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
    let orbits = rng.chance(0.55);
    if orbits {
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
    if orbits {
        "concentric rings around a glowing centre, crossed by orbits"
    } else {
        "concentric rings around a glowing centre"
    }
}

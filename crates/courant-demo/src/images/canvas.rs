//! The floating-point canvas everything is drawn on: shapes, gradients, glows and the vignette,
//! per-pixel blending, and the final dithered conversion to 8-bit RGB.

use image::{Rgb, RgbImage};

use super::colour::{BLACK, Col, grad_at, mix};
use super::shapes::{dist, sd_ellipse, sd_rbox, sd_segment, sd_tri};

use std::ops::Range;

/// 4x4 Bayer matrix for the final ordered dither.
const BAYER: [f32; 16] = [0.0, 8.0, 2.0, 10.0, 12.0, 4.0, 14.0, 6.0, 3.0, 11.0, 1.0, 9.0, 15.0, 7.0, 13.0, 5.0];

/// A floating-point RGB canvas, at least 1x1.
pub(super) struct Canvas {
    pub(super) w: usize,
    pub(super) h: usize,
    pub(super) px: Vec<Col>,
}

#[allow(clippy::too_many_arguments)]
impl Canvas {
    pub(super) fn new(w: usize, h: usize, c: Col) -> Self {
        let (w, h) = (w.max(1), h.max(1));
        Canvas { w, h, px: vec![c; w * h] }
    }

    /// Width, height and the shorter side, as floats.
    pub(super) fn dims(&self) -> (f32, f32, f32) {
        let (w, h) = (self.w as f32, self.h as f32);
        (w, h, w.min(h))
    }

    /// Calls `f(x, y, pixel)` for every pixel.
    pub(super) fn shade(&mut self, mut f: impl FnMut(usize, usize, &mut Col)) {
        let w = self.w;
        for (y, row) in self.px.chunks_mut(w).enumerate() {
            for (x, p) in row.iter_mut().enumerate() {
                f(x, y, p);
            }
        }
    }

    /// Calls `f(px, py, pixel)` with pixel-centre coordinates for the pixels in `bb`
    /// (`[x0, y0, x1, y1]`, clamped to the canvas).
    pub(super) fn shade_box(&mut self, bb: [f32; 4], mut f: impl FnMut(f32, f32, &mut Col)) {
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
    pub(super) fn fill_sdf(&mut self, bb: [f32; 4], c: Col, alpha: f32, sd: impl Fn(f32, f32) -> f32) {
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

    pub(super) fn circle(&mut self, cx: f32, cy: f32, r: f32, c: Col, a: f32) {
        self.fill_sdf([cx - r, cy - r, cx + r, cy + r], c, a, |x, y| dist(x - cx, y - cy) - r);
    }

    /// A disc whose edge fades over `soft` pixels.
    pub(super) fn soft_circle(&mut self, cx: f32, cy: f32, r: f32, soft: f32, c: Col, a: f32) {
        let soft = soft.max(1.0);
        let e = r + soft;
        self.fill_sdf([cx - e, cy - e, cx + e, cy + e], c, a, |x, y| (dist(x - cx, y - cy) - r) / soft);
    }

    /// A circle outline of radius `r` and line width `lw`.
    pub(super) fn ring(&mut self, cx: f32, cy: f32, r: f32, lw: f32, c: Col, a: f32) {
        let e = r + lw;
        self.fill_sdf([cx - e, cy - e, cx + e, cy + e], c, a, |x, y| (dist(x - cx, y - cy) - r).abs() - lw * 0.5);
    }

    pub(super) fn ellipse(&mut self, cx: f32, cy: f32, rx: f32, ry: f32, c: Col, a: f32) {
        let (rx, ry) = (rx.max(0.5), ry.max(0.5));
        self.fill_sdf([cx - rx, cy - ry, cx + rx, cy + ry], c, a, |x, y| sd_ellipse(x - cx, y - cy, rx, ry));
    }

    /// An axis-aligned rectangle with exact fractional-edge coverage.
    pub(super) fn rect(&mut self, x0: f32, y0: f32, x1: f32, y1: f32, c: Col, a: f32) {
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
    pub(super) fn rbox_c(&mut self, cx: f32, cy: f32, hw: f32, hh: f32, r: f32, c: Col, a: f32) {
        self.fill_sdf([cx - hw, cy - hh, cx + hw, cy + hh], c, a, |x, y| sd_rbox(x - cx, y - cy, hw, hh, r));
    }

    /// A rounded rectangle given by its corners.
    pub(super) fn rbox(&mut self, x0: f32, y0: f32, x1: f32, y1: f32, r: f32, c: Col, a: f32) {
        let (hw, hh) = ((x1 - x0).abs() * 0.5, (y1 - y0).abs() * 0.5);
        self.rbox_c((x0 + x1) * 0.5, (y0 + y1) * 0.5, hw, hh, r, c, a);
    }

    /// A line from a to b with round caps, `width` pixels wide.
    pub(super) fn segment(&mut self, ax: f32, ay: f32, bx: f32, by: f32, width: f32, c: Col, a: f32) {
        let e = width * 0.5;
        let bb = [ax.min(bx) - e, ay.min(by) - e, ax.max(bx) + e, ay.max(by) + e];
        self.fill_sdf(bb, c, a, |x, y| sd_segment(x, y, ax, ay, bx, by) - e);
    }

    pub(super) fn tri(&mut self, t: [(f32, f32); 3], c: Col, a: f32) {
        let bb = [
            t[0].0.min(t[1].0).min(t[2].0),
            t[0].1.min(t[1].1).min(t[2].1),
            t[0].0.max(t[1].0).max(t[2].0),
            t[0].1.max(t[1].1).max(t[2].1),
        ];
        self.fill_sdf(bb, c, a, |x, y| sd_tri(x, y, &t));
    }

    /// A radial glow: alpha `strength` at the centre falling smoothly to zero at `r`.
    pub(super) fn glow(&mut self, cx: f32, cy: f32, r: f32, c: Col, strength: f32) {
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
    pub(super) fn vgrad(&mut self, stops: &[(f32, Col)]) {
        let h = self.h as f32;
        let w = self.w;
        for (y, row) in self.px.chunks_mut(w).enumerate() {
            row.fill(grad_at(stops, (y as f32 + 0.5) / h));
        }
    }

    /// A linear gradient from `c0` to `c1` along direction (dx, dy), in normalised coordinates.
    pub(super) fn linear_grad(&mut self, dx: f32, dy: f32, c0: Col, c1: Col) {
        let (w, h) = (self.w as f32, self.h as f32);
        self.shade(|x, y, p| {
            let t = 0.5 + ((x as f32 + 0.5) / w - 0.5) * dx + ((y as f32 + 0.5) / h - 0.5) * dy;
            *p = mix(c0, c1, t.clamp(0.0, 1.0));
        });
    }

    /// Darkens towards the corners by up to `k`.
    pub(super) fn vignette(&mut self, k: f32) {
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
    pub(super) fn fill_rect_i(&mut self, x0: usize, y0: usize, x1: usize, y1: usize, c: Col, a: f32) {
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
    pub(super) fn into_image(self) -> RgbImage {
        let Canvas { w, h, px } = self;
        RgbImage::from_fn(w as u32, h as u32, |x, y| {
            let c = px.get(y as usize * w + x as usize).copied().unwrap_or(BLACK);
            let d = (BAYER[((y & 3) * 4 + (x & 3)) as usize] + 0.5) / 16.0 - 0.5;
            Rgb([quant(c[0] + d), quant(c[1] + d), quant(c[2] + d)])
        })
    }
}

fn quant(v: f32) -> u8 {
    v.round().clamp(0.0, 255.0) as u8
}

pub(super) fn blend_px(p: &mut Col, c: Col, a: f32) {
    if a.is_nan() || a <= 0.0 {
        return;
    }
    let a = a.min(1.0);
    p[0] += (c[0] - p[0]) * a;
    p[1] += (c[1] - p[1]) * a;
    p[2] += (c[2] - p[2]) * a;
}

/// The pixel indexes covering `lo..hi`, clamped to `0..n`.
pub(super) fn span(lo: f32, hi: f32, n: usize) -> Range<usize> {
    let a = (lo.floor().max(0.0) as usize).min(n);
    let b = (hi.ceil().max(0.0) as usize).min(n);
    a..b.max(a)
}

//! Shapes as signed distance functions (in pixels, negative inside), which the canvas turns into
//! anti-aliased coverage.

pub(super) fn dist(dx: f32, dy: f32) -> f32 {
    (dx * dx + dy * dy).sqrt()
}

/// Approximate signed distance to an axis-aligned ellipse centred at the origin (exact enough
/// near the edge, which is all anti-aliasing needs).
pub(super) fn sd_ellipse(dx: f32, dy: f32, rx: f32, ry: f32) -> f32 {
    let (rx, ry) = (rx.max(0.5), ry.max(0.5));
    let (ix, iy) = (1.0 / (rx * rx), 1.0 / (ry * ry));
    let f = dx * dx * ix + dy * dy * iy - 1.0;
    let g = 2.0 * ((dx * ix) * (dx * ix) + (dy * iy) * (dy * iy)).sqrt();
    if g > 1e-9 { f / g } else { -rx.min(ry) }
}

/// Signed distance to a rounded box centred at the origin with half sizes `hw`, `hh`.
pub(super) fn sd_rbox(dx: f32, dy: f32, hw: f32, hh: f32, r: f32) -> f32 {
    let r = r.min(hw).min(hh).max(0.0);
    let qx = dx.abs() - hw + r;
    let qy = dy.abs() - hh + r;
    let (ox, oy) = (qx.max(0.0), qy.max(0.0));
    (ox * ox + oy * oy).sqrt() + qx.max(qy).min(0.0) - r
}

/// Distance from (px, py) to the segment a-b.
pub(super) fn sd_segment(px: f32, py: f32, ax: f32, ay: f32, bx: f32, by: f32) -> f32 {
    let (pax, pay) = (px - ax, py - ay);
    let (bax, bay) = (bx - ax, by - ay);
    let l2 = bax * bax + bay * bay;
    let t = if l2 > 1e-9 { ((pax * bax + pay * bay) / l2).clamp(0.0, 1.0) } else { 0.0 };
    dist(pax - bax * t, pay - bay * t)
}

/// Signed distance (exact inside, approximate outside) to a triangle of either orientation.
pub(super) fn sd_tri(px: f32, py: f32, t: &[(f32, f32); 3]) -> f32 {
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

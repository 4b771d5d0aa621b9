//! Lettering: the label of words drawn on hero pictures, in the bitmap font of
//! `courant_media::lettering`.

use crate::rng::Rng;
use courant_media::lettering::glyph;

use super::canvas::Canvas;
use super::colour::{BLACK, Palette, WHITE, mix};

/// Draws `words` in the bitmap font on a translucent band with an accent bar.
pub(super) fn label(cv: &mut Canvas, rng: &mut Rng, pal: &Palette, words: &[&str]) {
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

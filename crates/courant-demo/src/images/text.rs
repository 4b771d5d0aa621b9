//! Lettering: the 5x7 bitmap font and the label of words drawn on hero pictures.

use crate::rng::Rng;

use super::canvas::Canvas;
use super::colour::{BLACK, Palette, WHITE, mix};

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

/// The glyph for `c`; unknown characters are blank.
fn glyph(c: char) -> [u8; 7] {
    FONT.iter().find(|(k, _)| *k == c).map(|(_, g)| *g).unwrap_or([0; 7])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyphs_cover_the_required_characters() {
        for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.,&'".chars() {
            assert!(glyph(c).iter().any(|&r| r != 0), "missing glyph {c}");
        }
        assert_eq!(glyph('?'), [0; 7]);
        assert_eq!(glyph(' '), [0; 7]);
    }
}

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

mod abstracts;
mod canvas;
mod colour;
mod portraits;
mod random;
mod scenes;
mod shapes;
mod text;

use image::RgbImage;

use super::rng::Rng;

use abstracts::{bands, bokeh, chart, rings};
use canvas::Canvas;
use colour::Palette;
use random::rf;
use scenes::{hills, skyline, stadium};
use text::label;

pub use portraits::portrait;

/// Number of hero style families.
const STYLES: usize = 7;

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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    pub(super) fn distinct(img: &RgbImage) -> usize {
        let mut set = HashSet::new();
        for y in 0..img.height() {
            for x in 0..img.width() {
                set.insert(img.get_pixel(x, y).0);
            }
        }
        set.len()
    }

    pub(super) fn differ(a: &RgbImage, b: &RgbImage) -> bool {
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
}

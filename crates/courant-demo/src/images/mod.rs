//! Pictures for the demo publication, drawn entirely by our own code.
//!
//! The demo newspaper needs pictures it is free to publish, so it draws them: hero illustrations
//! in a handful of abstract editorial styles (a city skyline, rolling hills, bokeh, poster bands,
//! a market chart, a stadium, concentric rings) and head-and-shoulders author portraits.
//! Everything is deterministic for a given [`Rng`] state. A hero says what it shows (its scene
//! and the words lettered on it), so captions and alt text can describe the picture itself.
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
pub use text::{Layout, Lettering, Rect, centred_crop, crop_shapes, layout, safe_area};

/// Number of hero style families.
const STYLES: usize = 7;

/// A hero illustration for a story: `width` x `height` pixels, varied by `rng`, with `words`
/// (1-3 short uppercase words) drawn as a bold label on a translucent band.
pub fn hero(rng: &mut Rng, width: u32, height: u32, words: &[&str]) -> RgbImage {
    let style = rng.below(STYLES);
    hero_style(rng, width, height, words, style).image
}

/// A drawn hero picture and what it shows.
#[derive(Debug, Clone)]
pub struct Hero {
    pub image: RgbImage,
    /// The scene in words, as a caption would describe it: "a city skyline at night under a
    /// crescent moon, with lit windows". Starts in lower case, without a final full stop.
    pub scene: &'static str,
    /// The words lettered on the picture, if any were.
    pub lettering: Option<Lettering>,
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

impl Style {
    /// Every family, in order.
    pub const ALL: [Style; STYLES] =
        [Style::Skyline, Style::Hills, Style::Bokeh, Style::Bands, Style::Chart, Style::Stadium, Style::Rings];

    /// A word every description of the family's pictures contains ([`Hero::scene`]).
    pub fn kind(self) -> &'static str {
        match self {
            Style::Skyline => "skyline",
            Style::Hills => "hills",
            Style::Bokeh => "light",
            Style::Bands => "poster",
            Style::Chart => "chart",
            Style::Stadium => "pitch",
            Style::Rings => "rings",
        }
    }
}

/// A hero illustration of a chosen family, so a story's picture can suit its subject.
pub fn hero_in_style(rng: &mut Rng, width: u32, height: u32, words: &[&str], style: Style) -> RgbImage {
    hero_style(rng, width, height, words, style as usize).image
}

/// A hero illustration of a chosen family with what it shows: its scene and the words drawn on
/// it, which stay inside the part of the picture every crop keeps ([`safe_area`]).
pub fn hero_picture(rng: &mut Rng, width: u32, height: u32, words: &[&str], style: Style) -> Hero {
    hero_style(rng, width, height, words, style as usize)
}

fn hero_style(rng: &mut Rng, width: u32, height: u32, words: &[&str], style: usize) -> Hero {
    if width == 0 || height == 0 {
        return Hero { image: RgbImage::new(width, height), scene: "an empty picture", lettering: None };
    }
    let pal = Palette::pick(rng);
    let mut cv = Canvas::new(width as usize, height as usize, pal.deep);
    let scene = match style % STYLES {
        0 => skyline(&mut cv, rng, &pal),
        1 => hills(&mut cv, rng, &pal),
        2 => bokeh(&mut cv, rng, &pal),
        3 => bands(&mut cv, rng, &pal),
        4 => chart(&mut cv, rng, &pal),
        5 => stadium(&mut cv, rng, &pal),
        _ => rings(&mut cv, rng, &pal),
    };
    let v = rf(rng, 0.12, 0.3);
    cv.vignette(v);
    let lettering = label(&mut cv, rng, &pal, words);
    Hero { image: cv.into_image(), scene, lettering }
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
                let img = hero_style(&mut rng, 320, 180, &["RAIL", "STRIKE"], style).image;
                assert_eq!((img.width(), img.height()), (320, 180));
                let n = distinct(&img);
                assert!(n > 50, "style {style} seed {seed}: only {n} colours");
            }
            let mut rng = Rng::new(1000 + style as u64);
            let img = hero_style(&mut rng, 1600, 900, &["MARKETS"], style).image;
            assert_eq!((img.width(), img.height()), (1600, 900));
            assert!(distinct(&img) > 50, "style {style} at 1600x900 is too flat");
        }
    }

    // Issue #19: captions describe the picture, so a picture must say what it shows; and its
    // words must survive every crop.
    #[test]
    fn heroes_say_what_they_show_and_keep_their_words_in_the_safe_area() {
        for (i, style) in Style::ALL.into_iter().enumerate() {
            let mut scenes = HashSet::new();
            for (w, h) in [(400u32, 225u32), (300, 200), (360, 240), (300, 225)] {
                for seed in 0..3u64 {
                    let mut rng = Rng::new(seed * 101 + i as u64 * 7 + u64::from(w));
                    let hero = hero_picture(&mut rng, w, h, &["GLACIER", "ICE"], style);
                    assert_eq!((hero.image.width(), hero.image.height()), (w, h));
                    assert!(hero.scene.len() > 10 && !hero.scene.ends_with('.'), "{style:?}: {:?}", hero.scene);
                    assert!(hero.scene.starts_with(|c: char| c.is_ascii_lowercase()), "{:?}", hero.scene);
                    assert!(hero.scene.contains(style.kind()), "{style:?}: {:?}", hero.scene);
                    scenes.insert(hero.scene);
                    let lettering = hero.lettering.expect("the words are drawn");
                    assert_eq!(lettering.text, "GLACIER ICE");
                    assert!(safe_area(w, h).contains(&lettering.bounds), "{style:?} {w}x{h}: {lettering:?}");
                }
            }
            assert!(!scenes.is_empty());
        }
        let same = |seed| hero_picture(&mut Rng::new(seed), 320, 180, &["VOTE"], Style::Skyline);
        assert_eq!(same(4).scene, same(4).scene, "the same seed describes the same picture");
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
            let img = hero_style(&mut rng, 320, 180, &odd, style).image;
            assert_eq!(img.width(), 320);
            let img = hero_style(&mut rng, 320, 180, &[], style).image;
            assert_eq!(img.height(), 180);
            let long = ["SUPERCALIFRAGILISTICEXPIALIDOCIOUS"; 3];
            let img = hero_style(&mut rng, 320, 180, &long, style).image;
            assert_eq!(img.width(), 320);
            for (w, h) in [(0u32, 0u32), (1, 1), (2, 3), (3, 2), (7, 7), (40, 9), (9, 40), (2400, 12)] {
                let img = hero_style(&mut rng, w, h, &["X"], style).image;
                assert_eq!((img.width(), img.height()), (w, h));
            }
        }
        for size in [0u32, 1, 2, 5, 17] {
            let img = portrait(&mut Rng::new(9), size);
            assert_eq!((img.width(), img.height()), (size, size));
        }
    }
}

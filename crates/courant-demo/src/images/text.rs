//! Lettering: the label of words drawn on hero pictures, in the bitmap font of
//! `courant_media::lettering`, and the safe area it is kept in.
//!
//! A hero picture is shown whole on the article page, but elsewhere it is cut: to the crops
//! `courant_media` makes for search engines and social networks ([`courant_media::CROPS`]:
//! 16:9, 4:3, 1:1) and to the 3:2 frame the site's teasers fill with `object-fit: cover`
//! (`static/css/site.css`). Every one of those keeps the middle of the picture (the demo sets no
//! focal point), so words drawn inside the rectangle all of them share survive every cut
//! (issue #19: "GLACIER ICE" no longer comes out as "LACIER ICE").

use crate::rng::Rng;
use courant_media::lettering::glyph;

use super::canvas::Canvas;
use super::colour::{BLACK, Palette, WHITE, mix};

/// Crop shapes other than `courant_media::CROPS` that the site cuts pictures to: the teasers'
/// 3:2 frame (`.teaser-image img` and the list thumbnails in `static/css/site.css`).
const PAGE_FRAMES: [(u32, u32); 1] = [(3, 2)];

/// Every shape (width ratio, height ratio) a hero picture is cut to somewhere.
pub fn crop_shapes() -> impl Iterator<Item = (u32, u32)> {
    courant_media::CROPS.iter().map(|&(_, rw, rh)| (rw, rh)).chain(PAGE_FRAMES)
}

/// A rectangle of pixels, `x0..x1` by `y0..y1` (the ends excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub x0: u32,
    pub y0: u32,
    pub x1: u32,
    pub y1: u32,
}

impl Rect {
    /// The width in pixels.
    pub fn width(&self) -> u32 {
        self.x1.saturating_sub(self.x0)
    }

    /// The height in pixels.
    pub fn height(&self) -> u32 {
        self.y1.saturating_sub(self.y0)
    }

    /// Whether `other` lies wholly inside this rectangle.
    pub fn contains(&self, other: &Rect) -> bool {
        other.x0 >= self.x0 && other.y0 >= self.y0 && other.x1 <= self.x1 && other.y1 <= self.y1
    }

    /// The part of both rectangles (empty, with `x1 == x0`, when they do not meet).
    fn intersect(&self, other: &Rect) -> Rect {
        let x0 = self.x0.max(other.x0);
        let y0 = self.y0.max(other.y0);
        Rect { x0, y0, x1: self.x1.min(other.x1).max(x0), y1: self.y1.min(other.y1).max(y0) }
    }
}

/// The `rw:rh` crop of a `width` x `height` picture with the focal point in the middle, as
/// `courant_media::make_derived` cuts it: the largest rectangle of that shape, centred.
pub fn centred_crop(width: u32, height: u32, rw: u32, rh: u32) -> Rect {
    let (w, h, rw, rh) = (u64::from(width), u64::from(height), u64::from(rw.max(1)), u64::from(rh.max(1)));
    let (cw, ch) = if w * rh > h * rw { (h * rw / rh, h) } else { (w, w * rh / rw) };
    let x = (w / 2).saturating_sub(cw / 2).min(w - cw);
    let y = (h / 2).saturating_sub(ch / 2).min(h - ch);
    Rect { x0: x as u32, y0: y as u32, x1: (x + cw) as u32, y1: (y + ch) as u32 }
}

/// The part of a `width` x `height` picture that every crop in [`crop_shapes`] keeps.
pub fn safe_area(width: u32, height: u32) -> Rect {
    crop_shapes()
        .map(|(rw, rh)| centred_crop(width, height, rw, rh))
        .fold(Rect { x0: 0, y0: 0, x1: width, y1: height }, |a, b| a.intersect(&b))
}

/// The words drawn on a picture and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lettering {
    /// The words as drawn (upper case, one space between words and lines).
    pub text: String,
    /// How many lines the words were set in.
    pub lines: usize,
    /// The band behind the words: nothing of the label is drawn outside it.
    pub bounds: Rect,
}

/// The label's proportions at glyph scale `sc` (pixels per font dot).
#[derive(Clone, Copy)]
struct Metrics {
    sc: usize,
}

impl Metrics {
    fn bold(self) -> usize {
        self.sc / 5
    }
    fn bar(self) -> usize {
        self.sc.max(2)
    }
    fn pad_x(self) -> usize {
        3 * self.sc
    }
    fn pad_y(self) -> usize {
        2 * self.sc
    }
    fn gap(self) -> usize {
        3 * self.sc
    }
    /// Width of `chars` glyphs set side by side, with the bold stroke of the last one.
    fn text_w(self, chars: usize) -> usize {
        (chars * 6 * self.sc).saturating_sub(self.sc) + self.bold()
    }
    fn band_w(self, longest: usize) -> usize {
        self.bar() + 2 * self.pad_x() + self.text_w(longest)
    }
    fn band_h(self, lines: usize) -> usize {
        lines * 7 * self.sc + lines.saturating_sub(1) * self.gap() + 2 * self.pad_y()
    }
}

/// Ways of setting `words` in `lines` lines, each line a run of consecutive words; few enough
/// to try them all (labels have one to three words; odd input falls back to one line).
fn splits(words: &[Vec<char>], lines: usize) -> Vec<Vec<Vec<char>>> {
    let n = words.len();
    if lines == 1 || n > 8 || lines > n {
        return if lines == 1 { vec![vec![join(words)]] } else { Vec::new() };
    }
    let mut out = Vec::new();
    // Each bit of `mask` (over the n - 1 gaps) says whether a line breaks there.
    for mask in 0u32..(1 << (n - 1)) {
        if mask.count_ones() as usize + 1 != lines {
            continue;
        }
        let mut set = Vec::with_capacity(lines);
        let mut start = 0;
        for gap in 0..n - 1 {
            if mask & (1 << gap) != 0 {
                set.push(join(&words[start..=gap]));
                start = gap + 1;
            }
        }
        set.push(join(&words[start..]));
        out.push(set);
    }
    out
}

fn join(words: &[Vec<char>]) -> Vec<char> {
    let mut line = Vec::new();
    for word in words {
        if !line.is_empty() {
            line.push(' ');
        }
        line.extend(word);
    }
    line
}

/// How a label of words is set on a picture: its lines, their size, and the places the band
/// may go, all inside the picture's [`safe_area`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The lines, in upper case; all the words unless they could not fit even at the smallest
    /// size, when the one line is cut short.
    pub lines: Vec<String>,
    /// Pixels per dot of the 5x7 font.
    pub scale: u32,
    /// Where the band may go: bottom left, bottom centre, top left.
    pub places: [Rect; 3],
}

/// Sets `words` for a `width` x `height` picture: as large as fits inside the [`safe_area`]
/// (less a margin), up to a size in proportion to the picture, on one line or stacked on up to
/// three when that makes the letters much larger. Words too long to fit even at the smallest
/// size are cut short. `None` when there is nothing to draw or no room.
pub fn layout(width: u32, height: u32, words: &[&str]) -> Option<Layout> {
    let words: Vec<Vec<char>> = words
        .iter()
        .map(|w| w.trim())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().map(|c| c.to_ascii_uppercase()).collect())
        .collect();
    if words.is_empty() || width < 8 || height < 8 {
        return None;
    }
    let safe = safe_area(width, height);
    // Breathing room between the band and the edge of the tightest crop.
    let inset = (safe.width().min(safe.height()) as usize * 5 / 100).max(1);
    let room_w = (safe.width() as usize).saturating_sub(2 * inset);
    let room_h = (safe.height() as usize).saturating_sub(2 * inset);
    let largest = (room_w.min(room_h) / 60).max(1);

    // Per number of lines, the split allowing the largest letters; then the fewest lines whose
    // letters are at least three quarters of the largest. The band takes at most a third of the
    // room's height when the words fit so, all of it when they must.
    let mut best: Option<(Metrics, Vec<Vec<char>>)> = None;
    for max_h in [room_h / 3, room_h] {
        let mut choices: Vec<(Metrics, Vec<Vec<char>>)> = Vec::new();
        for lines in 1..=words.len().min(3) {
            let mut here: Option<(Metrics, Vec<Vec<char>>)> = None;
            for set in splits(&words, lines) {
                let longest = set.iter().map(Vec::len).max().unwrap_or(0);
                let fits = |m: Metrics| m.band_w(longest) <= room_w && m.band_h(set.len()) <= max_h;
                if let Some(sc) = (1..=largest).rev().find(|&sc| fits(Metrics { sc }))
                    && here.as_ref().is_none_or(|(m, _)| sc > m.sc)
                {
                    here = Some((Metrics { sc }, set));
                }
            }
            choices.extend(here);
        }
        if let Some(top) = choices.iter().map(|(m, _)| m.sc).max() {
            best = choices.into_iter().find(|(m, _)| m.sc * 4 >= top * 3);
            break;
        }
    }
    let (m, set) = match best {
        Some(found) => found,
        None => {
            // Nothing fits whole: one line at the smallest size, cut to the room there is.
            let m = Metrics { sc: 1 };
            let mut line = join(&words);
            let fit = (1..=line.len()).rev().find(|&n| m.band_w(n) <= room_w)?;
            if m.band_h(1) > room_h {
                return None;
            }
            line.truncate(fit);
            while line.last() == Some(&' ') {
                line.pop();
            }
            (m, vec![line])
        }
    };

    let longest = set.iter().map(Vec::len).max().unwrap_or(0);
    let (band_w, band_h) = (m.band_w(longest), m.band_h(set.len()));
    let (left, top) = (safe.x0 as usize + inset, safe.y0 as usize + inset);
    let bottom = top + room_h - band_h;
    let centre = left + (room_w - band_w) / 2;
    let at = |x: usize, y: usize| Rect { x0: x as u32, y0: y as u32, x1: (x + band_w) as u32, y1: (y + band_h) as u32 };
    Some(Layout {
        lines: set.iter().map(|line| line.iter().collect()).collect(),
        scale: m.sc as u32,
        places: [at(left, bottom), at(centre, bottom), at(left, top)],
    })
}

/// Draws `words` in the bitmap font on a translucent band with an accent bar, as [`layout`]
/// sets them, in one of its places. Returns what was drawn and where, or `None` when nothing was.
pub(super) fn label(cv: &mut Canvas, rng: &mut Rng, pal: &Palette, words: &[&str]) -> Option<Lettering> {
    let set = layout(cv.w as u32, cv.h as u32, words)?;
    let bounds = set.places[match rng.below(20) {
        0..=10 => 0,
        11..=15 => 1,
        _ => 2,
    }];
    let m = Metrics { sc: set.scale as usize };
    let (x0, y0) = (bounds.x0 as usize, bounds.y0 as usize);
    let band = mix(pal.deep, BLACK, 0.5);
    cv.fill_rect_i(x0, y0, bounds.x1 as usize, bounds.y1 as usize, band, 0.8);
    cv.fill_rect_i(x0, y0, x0 + m.bar(), bounds.y1 as usize, pal.hot, 1.0);
    let ink = mix(pal.soft, WHITE, 0.7);
    let (sc, bold) = (m.sc, m.bold());
    let tx = x0 + m.bar() + m.pad_x();
    for (l, line) in set.lines.iter().enumerate() {
        let ty = y0 + m.pad_y() + l * (7 * sc + m.gap());
        for (i, ch) in line.chars().enumerate() {
            let gx = tx + i * 6 * sc;
            for (row, &bits) in glyph(ch).iter().enumerate() {
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
    Some(Lettering { text: set.lines.join(" "), lines: set.lines.len(), bounds })
}

#[cfg(test)]
mod tests {
    use super::super::colour::hex;
    use super::*;

    fn palette() -> Palette {
        Palette {
            deep: hex(0x1d2b53),
            mid: hex(0x7e2553),
            soft: hex(0xffccaa),
            warm: hex(0xffa300),
            hot: hex(0xff77a8),
        }
    }

    /// The sizes heroes are drawn at, plus odd shapes (tall, square, very wide).
    const SIZES: &[(u32, u32)] = &[
        (1600, 900),
        (1200, 800),
        (1440, 960),
        (1280, 720),
        (1200, 900),
        (1920, 1080),
        (800, 450),
        (600, 900),
        (500, 500),
        (2400, 600),
    ];

    #[test]
    fn the_safe_area_lies_in_every_crop_as_courant_media_cuts_it() {
        for &(w, h) in SIZES {
            let safe = safe_area(w, h);
            assert!(safe.width() > 0 && safe.height() > 0, "{w}x{h}: empty safe area");
            for (rw, rh) in crop_shapes() {
                let crop = centred_crop(w, h, rw, rh);
                // The crop has the size courant-media gives it (below its width cap, unscaled).
                if w <= courant_media::MAX_CROP_WIDTH {
                    assert_eq!(
                        (crop.width(), crop.height()),
                        courant_media::crop_size(w, h, rw, rh),
                        "{w}x{h} {rw}:{rh}"
                    );
                }
                assert!(crop.contains(&safe), "{w}x{h}: safe area {safe:?} leaves the {rw}:{rh} crop {crop:?}");
            }
        }
        // A 16:9 picture keeps its middle square; a 3:2 one the band the 16:9 crop keeps.
        assert_eq!(safe_area(1600, 900), Rect { x0: 350, y0: 0, x1: 1250, y1: 900 });
        assert_eq!(safe_area(1200, 800), Rect { x0: 200, y0: 63, x1: 1000, y1: 738 });
    }

    // Issue #19: words drawn on a picture were cut by the square crop ("LACIER ICE").
    #[test]
    fn every_pixel_of_the_label_stays_inside_every_crop() {
        for &(w, h) in SIZES {
            // A quarter of the size keeps the test quick; the geometry is the same.
            let (w, h) = (w / 4, h / 4);
            for (k, words) in
                [&["GLACIER", "ICE"][..], &["FILM", "FESTIVAL", "PREMIERE"], &["RATES"], &["NEW", "HOMES"]]
                    .iter()
                    .enumerate()
            {
                let background = [10.0, 20.0, 30.0];
                let mut cv = Canvas::new(w as usize, h as usize, background);
                let drawn = label(&mut cv, &mut Rng::new(k as u64), &palette(), words).expect("a label is drawn");
                assert_eq!(drawn.text, words.join(" "), "{w}x{h}: the words are drawn whole");
                let mut touched = Rect { x0: w, y0: h, x1: 0, y1: 0 };
                for (i, p) in cv.px.iter().enumerate() {
                    if *p != background {
                        let (x, y) = ((i % cv.w) as u32, (i / cv.w) as u32);
                        touched = Rect {
                            x0: touched.x0.min(x),
                            y0: touched.y0.min(y),
                            x1: touched.x1.max(x + 1),
                            y1: touched.y1.max(y + 1),
                        };
                    }
                }
                assert!(drawn.bounds.contains(&touched), "{w}x{h}: drawn at {touched:?}, outside {:?}", drawn.bounds);
                for (rw, rh) in crop_shapes() {
                    let crop = centred_crop(w, h, rw, rh);
                    assert!(
                        crop.contains(&touched),
                        "{w}x{h} {words:?}: label {touched:?} cut by the {rw}:{rh} crop {crop:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn long_words_shrink_or_stack_and_absurd_ones_are_cut_short() {
        let mut cv = Canvas::new(1600, 900, BLACK);
        let one = label(&mut cv, &mut Rng::new(1), &palette(), &["RATES"]).expect("drawn");
        assert_eq!(one.lines, 1);
        let mut cv = Canvas::new(1600, 900, BLACK);
        let stacked = label(&mut cv, &mut Rng::new(1), &palette(), &["FILM", "FESTIVAL", "PREMIERE"]).expect("drawn");
        assert!(stacked.lines > 1, "three long words stack rather than shrink: {stacked:?}");
        let mut cv = Canvas::new(320, 180, BLACK);
        let long = ["SUPERCALIFRAGILISTICEXPIALIDOCIOUS"; 3];
        let cut = label(&mut cv, &mut Rng::new(1), &palette(), &long).expect("drawn");
        assert!(cut.text.len() < long.join(" ").len() && !cut.text.is_empty(), "{cut:?}");
        assert!(safe_area(320, 180).contains(&cut.bounds));
        let mut cv = Canvas::new(9, 40, BLACK);
        assert_eq!(label(&mut cv, &mut Rng::new(1), &palette(), &["X"]), None, "no room, no label");
    }
}

//! The publication's generated marks, drawn from its name in our bitmap font
//! ([`crate::lettering`]): the PNG wordmark search engines take as the publisher's logo, the
//! square icons (favicon, touch icon, the web app manifest's) and the picture social previews
//! show for pages without one of their own. A publication with a logo of its own names it in
//! `site.logo`; these are the defaults, made once when the server starts.

use crate::lettering::{glyph, has_glyph};
use crate::{Encoded, MediaError, write_rgb};
use image::{Rgb, RgbImage};

/// The wordmark's size: Google asks for a logo no larger than 600×60.
pub const LOGO_SIZE: (u32, u32) = (600, 60);
/// The social picture's size, as OpenGraph previews prefer.
pub const SOCIAL_SIZE: (u32, u32) = (1200, 630);

const PAPER: Rgb<u8> = Rgb([0xff, 0xff, 0xff]);
const INK: Rgb<u8> = Rgb([0x1a, 0x1a, 0x1a]);
/// The site's accent (the stylesheet's `--accent`).
const ACCENT: Rgb<u8> = Rgb([0xb0, 0x00, 0x20]);

/// Whether the font can draw the name (some of its letters): names in other scripts use the
/// SVG wordmark, which the browser letters.
pub fn can_draw(name: &str) -> bool {
    !drawable(name).is_empty()
}

/// The publication's name as a PNG wordmark, dark on white, as large as fits (blank when
/// [`can_draw`] says no).
pub fn logo_png(name: &str) -> Result<Encoded, MediaError> {
    let (w, h) = LOGO_SIZE;
    let mut img = RgbImage::from_pixel(w, h, PAPER);
    let text = drawable(name);
    let scale = fitting_scale(text.chars().count(), w - 20, h - 16);
    centred(&mut img, &text, scale, 0, h, INK);
    png(&img)
}

/// A square icon of `side` pixels: the name's first letter (or digit), white on the accent.
pub fn icon_png(name: &str, side: u32) -> Result<Encoded, MediaError> {
    png(&icon(name, side))
}

/// `favicon.ico`: one 32×32 icon, stored as PNG inside the ICO container (which every browser
/// reads since Internet Explorer 9).
pub fn favicon_ico(name: &str) -> Result<Vec<u8>, MediaError> {
    let inner = png(&icon(name, 32))?.bytes;
    let mut ico = Vec::with_capacity(22 + inner.len());
    ico.extend_from_slice(&[0, 0, 1, 0, 1, 0]); // reserved, type 1 (icon), one image
    ico.extend_from_slice(&[32, 32, 0, 0]); // width, height, no palette, reserved
    ico.extend_from_slice(&1u16.to_le_bytes()); // colour planes
    ico.extend_from_slice(&32u16.to_le_bytes()); // bits per pixel
    ico.extend_from_slice(&(inner.len() as u32).to_le_bytes());
    ico.extend_from_slice(&22u32.to_le_bytes()); // where the image starts
    ico.extend_from_slice(&inner);
    Ok(ico)
}

/// The picture for social previews of pages without their own: the wordmark on white over a
/// band of the accent.
pub fn social_png(name: &str) -> Result<Encoded, MediaError> {
    let (w, h) = SOCIAL_SIZE;
    let mut img = RgbImage::from_pixel(w, h, PAPER);
    fill(&mut img, 0, h - 48, w, h, ACCENT);
    fill(&mut img, 0, 0, w, 12, INK);
    let text = drawable(name);
    let scale = fitting_scale(text.chars().count(), w - 160, 140);
    centred(&mut img, &text, scale, 12, h - 48, INK);
    png(&img)
}

fn icon(name: &str, side: u32) -> RgbImage {
    let mut img = RgbImage::from_pixel(side, side, ACCENT);
    let initial: String = name.chars().filter(|c| has_glyph(*c)).take(1).collect();
    let scale = (side * 6 / 10 / 7).max(1);
    centred(&mut img, &initial, scale, 0, side, PAPER);
    img
}

/// The name in capitals, without characters the font does not have (and the spaces they
/// would leave doubled).
fn drawable(name: &str) -> String {
    let kept: String = name.chars().map(|c| if has_glyph(c) { c.to_ascii_uppercase() } else { ' ' }).collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The largest whole scale at which `n` characters fit in `width` × `height`.
fn fitting_scale(n: usize, width: u32, height: u32) -> u32 {
    let n = n.max(1) as u32;
    let by_width = width / (6 * n - 1);
    let by_height = height / 7;
    by_width.min(by_height).max(1)
}

/// Draws `text` centred across the image and between rows `top` and `bottom`.
fn centred(img: &mut RgbImage, text: &str, scale: u32, top: u32, bottom: u32, ink: Rgb<u8>) {
    let n = text.chars().count() as u32;
    if n == 0 {
        return;
    }
    let text_w = n * 6 * scale - scale;
    let x0 = img.width().saturating_sub(text_w) / 2;
    let y0 = top + (bottom - top).saturating_sub(7 * scale) / 2;
    for (i, c) in text.chars().enumerate() {
        let gx = x0 + i as u32 * 6 * scale;
        for (row, bits) in glyph(c).iter().enumerate() {
            for col in 0..5u32 {
                if bits & (0x10u8 >> col) != 0 {
                    let (x, y) = (gx + col * scale, y0 + row as u32 * scale);
                    fill(img, x, y, x + scale, y + scale, ink);
                }
            }
        }
    }
}

fn fill(img: &mut RgbImage, x0: u32, y0: u32, x1: u32, y1: u32, colour: Rgb<u8>) {
    for y in y0..y1.min(img.height()) {
        for x in x0..x1.min(img.width()) {
            img.put_pixel(x, y, colour);
        }
    }
}

fn png(img: &RgbImage) -> Result<Encoded, MediaError> {
    let mut bytes = Vec::new();
    write_rgb(image::codecs::png::PngEncoder::new(&mut bytes), img)?;
    Ok(Encoded { bytes, extension: "png", width: img.width(), height: img.height() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8]) -> RgbImage {
        image::load_from_memory(bytes).expect("a PNG we can read").to_rgb8()
    }

    #[test]
    fn the_wordmark_is_a_600_by_60_png_with_the_name_drawn_inside_a_margin() {
        let logo = logo_png("The Courant Daily").expect("logo");
        let img = decoded(&logo.bytes);
        assert_eq!((img.width(), img.height()), LOGO_SIZE);
        let inked: Vec<(u32, u32)> =
            img.enumerate_pixels().filter(|(_, _, p)| **p == INK).map(|(x, y, _)| (x, y)).collect();
        assert!(inked.len() > 1000, "the name is drawn: {} dark pixels", inked.len());
        assert!(inked.iter().all(|(x, y)| *x >= 10 && *x < 590 && *y >= 8 && *y < 52), "inside the margin");
        // A longer name is drawn smaller, still whole.
        let long = decoded(&logo_png("The Evening Chronicle of the Northern Counties").expect("logo").bytes);
        assert!(long.enumerate_pixels().any(|(x, _, p)| *p == INK && x < 60));
    }

    #[test]
    fn icons_show_the_first_letter_on_the_accent_and_the_ico_wraps_a_png() {
        for side in [32, 180, 192, 512] {
            let img = decoded(&icon_png("the courant", side).expect("icon").bytes);
            assert_eq!((img.width(), img.height()), (side, side));
            assert_eq!(*img.get_pixel(0, 0), ACCENT);
            assert!(img.pixels().any(|p| *p == PAPER), "the letter at {side}");
        }
        assert_eq!(icon("The", 64), icon("t", 64), "the first letter, in capitals");
        let ico = favicon_ico("Courant").expect("ico");
        assert_eq!(&ico[..6], &[0, 0, 1, 0, 1, 0]);
        assert_eq!(u32::from_le_bytes(ico[14..18].try_into().unwrap()) as usize, ico.len() - 22);
        assert_eq!(decoded(&ico[22..]).dimensions(), (32, 32));
    }

    #[test]
    fn a_name_without_drawable_letters_gives_plain_marks_not_an_error() {
        assert!(!can_draw("Курьер") && can_draw("Courant"));
        let img = decoded(&logo_png("Курьер").expect("logo").bytes);
        assert!(img.pixels().all(|p| *p == PAPER));
        let social = decoded(&social_png("Курьер").expect("social").bytes);
        assert_eq!(social.dimensions(), SOCIAL_SIZE);
    }
}

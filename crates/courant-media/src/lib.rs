//! Images: encoding pictures into files, reading the size of stored files with limits, and
//! content-hashed file names so a stored file never changes under its name.

use image::{ImageEncoder, RgbImage};
use std::io::Cursor;

pub mod brand;
pub mod lettering;

pub use image::{Rgb, RgbImage as Picture};

/// The largest picture we decode, in pixels per side; bigger files are refused, not decoded.
pub const MAX_SIDE: u32 = 12_000;
/// The most memory a decode may use.
pub const MAX_ALLOC: u64 = 512 * 1024 * 1024;

/// What can go wrong with an image.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("cannot encode the image: {0}")]
    Encode(String),
    #[error("not an image we can read (JPEG, PNG or WebP): {0}")]
    Decode(String),
    #[error(
        "the picture is {width}×{height} pixels; at most {MAX_SIDE} pixels per side and {} megapixels are accepted",
        MAX_PIXELS / 1_000_000
    )]
    TooLarge { width: u32, height: u32 },
    #[error("this file is not a picture we accept: upload a JPEG, PNG, WebP or GIF")]
    Unsupported,
}

/// An encoded image file.
pub struct Encoded {
    pub bytes: Vec<u8>,
    /// File extension without the dot.
    pub extension: &'static str,
    pub width: u32,
    pub height: u32,
}

impl Encoded {
    /// A file name derived from the content, `ab/abcdef0123456789.ext`: the same bytes always
    /// get the same name, so files can be cached forever.
    pub fn file_name(&self) -> String {
        let h = content_hash(&self.bytes);
        format!("{}/{h}.{}", &h[..2], self.extension)
    }
}

/// Encodes a picture as baseline JPEG at `quality` (1-100).
pub fn encode_jpeg(picture: &RgbImage, quality: u8) -> Result<Encoded, MediaError> {
    let mut bytes = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality.clamp(1, 100));
    write_rgb(encoder, picture)?;
    Ok(Encoded { bytes, extension: "jpg", width: picture.width(), height: picture.height() })
}

/// Encodes a picture as lossy WebP at `quality` (0-100), through libwebp.
pub fn encode_webp(picture: &RgbImage, quality: f32) -> Result<Encoded, MediaError> {
    let encoder = webp::Encoder::from_rgb(picture.as_raw(), picture.width(), picture.height());
    let bytes =
        encoder.encode_simple(false, quality.clamp(0.0, 100.0)).map_err(|e| MediaError::Encode(format!("{e:?}")))?;
    Ok(Encoded { bytes: bytes.to_vec(), extension: "webp", width: picture.width(), height: picture.height() })
}

/// Encodes a picture as lossless WebP (the pure-Rust encoder has no lossy mode).
pub fn encode_webp_lossless(picture: &RgbImage) -> Result<Encoded, MediaError> {
    let mut bytes = Vec::new();
    write_rgb(image::codecs::webp::WebPEncoder::new_lossless(&mut bytes), picture)?;
    Ok(Encoded { bytes, extension: "webp", width: picture.width(), height: picture.height() })
}

fn write_rgb(encoder: impl ImageEncoder, picture: &RgbImage) -> Result<(), MediaError> {
    encoder
        .write_image(picture.as_raw(), picture.width(), picture.height(), image::ExtendedColorType::Rgb8)
        .map_err(|e| MediaError::Encode(e.to_string()))
}

/// The format and size of an image file, read from its header without decoding the pixels.
pub fn probe(bytes: &[u8]) -> Result<(&'static str, u32, u32), MediaError> {
    let reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| MediaError::Decode(e.to_string()))?;
    let extension = match reader.format() {
        Some(image::ImageFormat::Jpeg) => "jpg",
        Some(image::ImageFormat::WebP) => "webp",
        Some(image::ImageFormat::Png) => "png",
        _ => return Err(MediaError::Decode("unknown format".into())),
    };
    let (width, height) = reader.into_dimensions().map_err(|e| MediaError::Decode(e.to_string()))?;
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(MediaError::TooLarge { width, height });
    }
    Ok((extension, width, height))
}

/// The crops search engines and social networks ask for: name, width ratio, height ratio.
pub const CROPS: [(&str, u32, u32); 3] = [("16x9", 16, 9), ("4x3", 4, 3), ("1x1", 1, 1)];

/// The widest crop we produce; larger originals are scaled down to it.
pub const MAX_CROP_WIDTH: u32 = 2000;

/// The size of the `rw:rh` crop of a `width` x `height` picture: the largest centred rectangle of
/// that shape, scaled down to at most [`MAX_CROP_WIDTH`] wide. Never upscaled.
pub fn crop_size(width: u32, height: u32, rw: u32, rh: u32) -> (u32, u32) {
    let (w, h) = if u64::from(width) * u64::from(rh) > u64::from(height) * u64::from(rw) {
        ((u64::from(height) * u64::from(rw) / u64::from(rh)) as u32, height)
    } else {
        (width, (u64::from(width) * u64::from(rh) / u64::from(rw)) as u32)
    };
    if w > MAX_CROP_WIDTH {
        (MAX_CROP_WIDTH, (u64::from(MAX_CROP_WIDTH) * u64::from(rh) / u64::from(rw)) as u32)
    } else {
        (w.max(1), h.max(1))
    }
}

/// The file name of a crop of the stored file `file`: `ab/cdef.jpg` gives `ab/cdef.jpg.16x9.jpg`,
/// or with a focal point (fractions of width and height) `ab/cdef.jpg.16x9-f250-600.jpg`, so a
/// moved focal point names a new file.
pub fn crop_file_name(file: &str, crop: &str, focal: Option<(f32, f32)>) -> String {
    match focal.map(permille) {
        Some((x, y)) if (x, y) != (500, 500) => format!("{file}.{crop}-f{x}-{y}.jpg"),
        _ => format!("{file}.{crop}.jpg"),
    }
}

fn permille((x, y): (f32, f32)) -> (u16, u16) {
    let p = |v: f32| (v.clamp(0.0, 1.0) * 1000.0).round() as u16;
    (p(x), p(y))
}

/// Widths of the scaled copies offered to browsers (`srcset`), narrowest first.
pub const WIDTHS: [u32; 5] = [320, 640, 960, 1280, 1920];

/// The file name of a copy of `file` scaled to `width` pixels: `ab/cdef.jpg.w640.jpg`.
pub fn width_file_name(file: &str, width: u32) -> String {
    format!("{file}.w{width}.jpg")
}

/// The file name of a WebP copy of `file` scaled to `width` pixels (`ab/cdef.jpg.w640.webp`),
/// or at its own size when `width` is `None` (`ab/cdef.jpg.webp`).
pub fn webp_file_name(file: &str, width: Option<u32>) -> String {
    match width {
        Some(w) => format!("{file}.w{w}.webp"),
        None => format!("{file}.webp"),
    }
}

/// A picture made from a stored file, on first request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Derived {
    /// The largest `rw:rh` rectangle (see [`crop_size`]), centred on the focal point given in
    /// thousandths of width and height (the middle is 500, 500).
    Crop { rw: u32, rh: u32, focal: (u16, u16) },
    /// The whole picture scaled to this width (never wider than the original).
    Width(u32),
    /// The same as WebP (at the original's size when `None`).
    WebP(Option<u32>),
}

/// The original file and the picture a derived file name stands for, if it is one.
pub fn parse_derived_file_name(name: &str) -> Option<(&str, Derived)> {
    if let Some(rest) = name.strip_suffix(".webp") {
        return parse_webp_name(rest);
    }
    let rest = name.strip_suffix(".jpg")?;
    let (original, suffix) = rest.rsplit_once('.')?;
    is_original(original)?;
    let (crop, focal) = match suffix.split_once("-f") {
        Some((crop, focal)) => {
            let (x, y) = focal.split_once('-')?;
            let (x, y): (u16, u16) = (x.parse().ok()?, y.parse().ok()?);
            // One name per focal point: no leading zeros, no default point spelled out.
            if x > 1000 || y > 1000 || (x, y) == (500, 500) || format!("{x}-{y}") != focal {
                return None;
            }
            (crop, (x, y))
        }
        None => (suffix, (500, 500)),
    };
    if let Some(&(_, rw, rh)) = CROPS.iter().find(|c| c.0 == crop) {
        return Some((original, Derived::Crop { rw, rh, focal }));
    }
    if focal != (500, 500) {
        return None;
    }
    Some((original, Derived::Width(offered_width(suffix)?)))
}

/// `ab/cdef.jpg.w640` or `ab/cdef.jpg` (the name without `.webp`).
fn parse_webp_name(rest: &str) -> Option<(&str, Derived)> {
    if is_original(rest).is_some() {
        // A WebP original needs no copy of itself.
        return (content_type(rest) != Some("image/webp")).then_some((rest, Derived::WebP(None)));
    }
    let (original, suffix) = rest.rsplit_once('.')?;
    is_original(original)?;
    Some((original, Derived::WebP(Some(offered_width(suffix)?))))
}

/// Only stored originals have derivatives: a derivative of a derivative would let anyone mint
/// endless new files.
fn is_original(name: &str) -> Option<()> {
    content_type(name)?;
    parse_derived_file_name(name).is_none().then_some(())
}

/// The width in `w640`, when it is one of [`WIDTHS`].
fn offered_width(suffix: &str) -> Option<u32> {
    let width: u32 = suffix.strip_prefix('w')?.parse().ok()?;
    WIDTHS.contains(&width).then_some(width)
}

fn decode(original: &[u8]) -> Result<RgbImage, MediaError> {
    probe(original)?;
    let mut reader = image::ImageReader::new(Cursor::new(original))
        .with_guessed_format()
        .map_err(|e| MediaError::Decode(e.to_string()))?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    Ok(reader.decode().map_err(|e| MediaError::Decode(e.to_string()))?.to_rgb8())
}

/// Makes a derived picture of an image file, as JPEG. Refuses files too large to decode safely.
pub fn make_derived(original: &[u8], derived: Derived) -> Result<Encoded, MediaError> {
    let picture = decode(original)?;
    let (width, height) = picture.dimensions();
    let out = match derived {
        Derived::Crop { rw, rh, focal: (fx, fy) } => {
            let (cw, ch) = if u64::from(width) * u64::from(rh) > u64::from(height) * u64::from(rw) {
                ((u64::from(height) * u64::from(rw) / u64::from(rh)) as u32, height)
            } else {
                (width, (u64::from(width) * u64::from(rh) / u64::from(rw)) as u32)
            };
            // Centre the rectangle on the focal point as far as the picture's edges allow.
            let offset = |size: u32, crop: u32, at: u16| {
                let centre = u64::from(size) * u64::from(at) / 1000;
                (centre.saturating_sub(u64::from(crop) / 2) as u32).min(size - crop)
            };
            let (x, y) = (offset(width, cw, fx), offset(height, ch, fy));
            let cropped = image::imageops::crop_imm(&picture, x, y, cw, ch).to_image();
            let (tw, th) = crop_size(width, height, rw, rh);
            if (tw, th) == (cw, ch) {
                cropped
            } else {
                image::imageops::resize(&cropped, tw, th, image::imageops::FilterType::Triangle)
            }
        }
        Derived::Width(w) | Derived::WebP(Some(w)) if w < width => {
            let h = ((u64::from(height) * u64::from(w)) / u64::from(width)).max(1) as u32;
            image::imageops::resize(&picture, w, h, image::imageops::FilterType::Triangle)
        }
        Derived::Width(_) | Derived::WebP(_) => picture,
    };
    match derived {
        Derived::WebP(_) => encode_webp(&out, 75.0),
        _ => encode_jpeg(&out, 82),
    }
}

/// The most pixels an uploaded picture may have (a decompression bomb is refused before decoding).
pub const MAX_PIXELS: u64 = 60_000_000;

/// An uploaded picture, checked and made fit to serve.
pub struct Upload {
    /// The format the upload really is (by content), as a file extension.
    pub original_extension: &'static str,
    /// The picture to serve: re-encoded as JPEG, turned upright, without EXIF, GPS or any other
    /// metadata of the original.
    pub served: Encoded,
}

/// The format of an upload by its first bytes, whatever its file name says.
pub fn sniff(bytes: &[u8]) -> Option<(image::ImageFormat, &'static str)> {
    use image::ImageFormat::*;
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some((Jpeg, "jpg"))
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some((Png, "png"))
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some((WebP, "webp"))
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some((Gif, "gif"))
    } else {
        None
    }
}

/// Checks an uploaded file and makes the picture to serve. Refuses, with a message a writer
/// understands, anything that is not a JPEG, PNG, WebP or GIF by its content, pictures too large
/// to decode safely (by their header, before decoding), and damaged or truncated files. A GIF
/// is kept as a still of its first frame; transparency is flattened onto white.
pub fn ingest(bytes: &[u8]) -> Result<Upload, MediaError> {
    use image::ImageDecoder;
    let (format, original_extension) = sniff(bytes).ok_or(MediaError::Unsupported)?;
    let reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let (width, height) = reader.into_dimensions().map_err(|e| MediaError::Decode(e.to_string()))?;
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(MediaError::TooLarge { width, height });
    }
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| MediaError::Decode(e.to_string()))?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut picture = image::DynamicImage::from_decoder(decoder).map_err(|e| MediaError::Decode(e.to_string()))?;
    picture.apply_orientation(orientation);
    let rgb = if picture.color().has_alpha() {
        let rgba = picture.to_rgba8();
        let mut flat = RgbImage::new(rgba.width(), rgba.height());
        for (out, px) in flat.pixels_mut().zip(rgba.pixels()) {
            let [r, g, b, a] = px.0;
            let over = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
            *out = image::Rgb([over(r), over(g), over(b)]);
        }
        flat
    } else {
        picture.to_rgb8()
    };
    Ok(Upload { original_extension, served: encode_jpeg(&rgb, 88)? })
}

/// The MIME type of a stored file, by its extension.
pub fn content_type(file: &str) -> Option<&'static str> {
    match file.rsplit_once('.')?.1 {
        "jpg" | "jpeg" => Some("image/jpeg"),
        "webp" => Some("image/webp"),
        "png" => Some("image/png"),
        _ => None,
    }
}

/// A stable 64-bit FNV-1a hash of `bytes` in hex: names files and assets by their content.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gradient(w: u32, h: u32) -> RgbImage {
        RgbImage::from_fn(w, h, |x, y| Rgb([(x * 255 / w) as u8, (y * 255 / h) as u8, 128]))
    }

    #[test]
    fn jpeg_round_trip_keeps_size() {
        let e = encode_jpeg(&gradient(64, 48), 80).expect("encode");
        assert_eq!(probe(&e.bytes).expect("probe"), ("jpg", 64, 48));
        assert!(e.file_name().ends_with(".jpg") && e.file_name().len() == 2 + 1 + 16 + 4);
    }

    #[test]
    fn webp_round_trip_keeps_size() {
        let e = encode_webp_lossless(&gradient(30, 20)).expect("encode");
        assert_eq!(probe(&e.bytes).expect("probe"), ("webp", 30, 20));
    }

    #[test]
    fn crops_have_their_shape_and_never_upscale() {
        assert_eq!(crop_size(1600, 900, 16, 9), (1600, 900));
        assert_eq!(crop_size(1600, 900, 4, 3), (1200, 900));
        assert_eq!(crop_size(1600, 900, 1, 1), (900, 900));
        assert_eq!(crop_size(4000, 3000, 16, 9), (2000, 1125));
        assert_eq!(crop_size(300, 1000, 16, 9), (300, 168));
        let e = encode_jpeg(&gradient(160, 120), 80).expect("encode");
        let crop = make_derived(&e.bytes, Derived::Crop { rw: 16, rh: 9, focal: (500, 500) }).expect("crop");
        assert_eq!(probe(&crop.bytes).expect("probe"), ("jpg", 160, 90));
        assert!(make_derived(b"not an image", Derived::Crop { rw: 1, rh: 1, focal: (500, 500) }).is_err());
    }

    #[test]
    fn derived_names_round_trip() {
        let name = crop_file_name("ab/cdef.webp", "4x3", None);
        assert_eq!(name, "ab/cdef.webp.4x3.jpg");
        assert_eq!(
            parse_derived_file_name(&name),
            Some(("ab/cdef.webp", Derived::Crop { rw: 4, rh: 3, focal: (500, 500) }))
        );
        let focal = crop_file_name("ab/cdef.jpg", "1x1", Some((0.25, 0.6)));
        assert_eq!(focal, "ab/cdef.jpg.1x1-f250-600.jpg");
        assert_eq!(
            parse_derived_file_name(&focal),
            Some(("ab/cdef.jpg", Derived::Crop { rw: 1, rh: 1, focal: (250, 600) }))
        );
        assert_eq!(crop_file_name("ab/cdef.jpg", "1x1", Some((0.5, 0.5))), "ab/cdef.jpg.1x1.jpg");
        for bad in [
            "ab/cdef.jpg.1x1-f500-500.jpg",
            "ab/cdef.jpg.1x1-f0250-600.jpg",
            "ab/cdef.jpg.1x1-f2000-1.jpg",
            "ab/cdef.jpg.w320-f1-1.jpg",
        ] {
            assert_eq!(parse_derived_file_name(bad), None, "{bad}");
        }
        assert_eq!(parse_derived_file_name(&width_file_name("ab/x.jpg", 640)), Some(("ab/x.jpg", Derived::Width(640))));
        assert!(parse_derived_file_name("ab/cdef.jpg").is_none());
        assert!(parse_derived_file_name("ab/cdef.jpg.3x2.jpg").is_none());
        assert!(parse_derived_file_name("ab/cdef.jpg.w480.jpg").is_none(), "only the offered widths");
        assert!(parse_derived_file_name("ab/cdef.exe.1x1.jpg").is_none());
        assert!(parse_derived_file_name("ab/x.jpg.w640.jpg.w320.jpg").is_none(), "no derivative of a derivative");
        assert!(parse_derived_file_name("ab/x.jpg.1x1.jpg.16x9.jpg").is_none());
        assert_eq!(
            parse_derived_file_name(&webp_file_name("ab/x.jpg", Some(640))),
            Some(("ab/x.jpg", Derived::WebP(Some(640))))
        );
        assert_eq!(parse_derived_file_name(&webp_file_name("ab/x.jpg", None)), Some(("ab/x.jpg", Derived::WebP(None))));
        assert!(parse_derived_file_name("ab/x.webp").is_none(), "an original, not a copy");
        assert!(parse_derived_file_name("ab/x.webp.webp").is_none(), "no copy of a WebP original as WebP");
        assert!(parse_derived_file_name("ab/x.jpg.w641.webp").is_none());
        assert!(parse_derived_file_name("ab/x.jpg.w640.webp.webp").is_none());
        assert!(parse_derived_file_name("ab/x.jpg.1x1.jpg.webp").is_none());
    }

    #[test]
    fn webp_copies_are_lossy_and_smaller_than_lossless() {
        let e = encode_jpeg(&gradient(800, 400), 90).expect("encode");
        let copy = make_derived(&e.bytes, Derived::WebP(Some(640))).expect("webp");
        assert_eq!(probe(&copy.bytes).expect("probe"), ("webp", 640, 320));
        let full = make_derived(&e.bytes, Derived::WebP(None)).expect("webp");
        assert_eq!(probe(&full.bytes).expect("probe"), ("webp", 800, 400));
        // Photographs have grain, which lossless coding cannot squeeze.
        let mut grainy = gradient(800, 400);
        for (x, y, p) in grainy.enumerate_pixels_mut() {
            let n = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)) % 32;
            p.0 = p.0.map(|c| c.saturating_add(n as u8));
        }
        let full = make_derived(&encode_jpeg(&grainy, 95).expect("encode").bytes, Derived::WebP(None)).expect("webp");
        let lossless = encode_webp_lossless(&grainy).expect("lossless");
        assert!(full.bytes.len() < lossless.bytes.len(), "{} vs {}", full.bytes.len(), lossless.bytes.len());
    }

    #[test]
    fn scaled_copies_keep_the_shape_and_never_upscale() {
        let e = encode_jpeg(&gradient(1000, 500), 80).expect("encode");
        let small = make_derived(&e.bytes, Derived::Width(640)).expect("scale");
        assert_eq!(probe(&small.bytes).expect("probe"), ("jpg", 640, 320));
        let same = make_derived(&e.bytes, Derived::Width(1280)).expect("scale");
        assert_eq!(probe(&same.bytes).expect("probe"), ("jpg", 1000, 500));
    }

    #[test]
    fn garbage_is_a_clear_error() {
        assert!(matches!(probe(b"not an image at all"), Err(MediaError::Decode(_))));
        assert_eq!(content_type("ab/cd.webp"), Some("image/webp"));
        assert_eq!(content_type("x.exe"), None);
    }

    fn png_with_alpha(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        let pixels: Vec<u8> = (0..width * height).flat_map(|i| [200, 10, (i % 256) as u8, 0]).collect();
        image::codecs::png::PngEncoder::new(&mut bytes)
            .write_image(&pixels, width, height, image::ExtendedColorType::Rgba8)
            .expect("encode png");
        bytes
    }

    #[test]
    fn uploads_are_checked_by_content_and_served_without_metadata() {
        let jpeg = encode_jpeg(&gradient(64, 48), 85).expect("encode");
        let up = ingest(&jpeg.bytes).expect("a JPEG is accepted");
        assert_eq!((up.original_extension, up.served.width, up.served.height), ("jpg", 64, 48));
        assert_eq!(probe(&up.served.bytes).expect("served").0, "jpg");

        // Transparent pixels are flattened onto white.
        let png = ingest(&png_with_alpha(8, 8)).expect("a PNG is accepted");
        assert_eq!(png.original_extension, "png");
        let served = image::load_from_memory(&png.served.bytes).expect("decode").to_rgb8();
        assert!(served.pixels().all(|p| p.0.iter().all(|c| *c > 240)), "fully transparent becomes white");

        for disguised in [&b"<svg xmlns='http://www.w3.org/2000/svg'></svg>"[..], b"%PDF-1.7", b"", b"\xFF\xD8"] {
            assert!(matches!(ingest(disguised), Err(MediaError::Unsupported)), "{disguised:?}");
        }
        let truncated = &jpeg.bytes[..jpeg.bytes.len() / 3];
        assert!(ingest(truncated).is_err(), "a truncated JPEG is refused");

        // A decompression bomb: a small file whose header claims 60,000 x 60,000 pixels.
        let mut bomb = jpeg.bytes.clone();
        let sof = bomb.windows(2).position(|w| w == [0xFF, 0xC0]).expect("baseline JPEG has SOF0");
        bomb[sof + 5..sof + 7].copy_from_slice(&60_000u16.to_be_bytes());
        bomb[sof + 7..sof + 9].copy_from_slice(&60_000u16.to_be_bytes());
        assert!(matches!(ingest(&bomb), Err(MediaError::TooLarge { width: 60_000, height: 60_000 })));
    }

    #[test]
    fn focal_crops_keep_the_focal_point_in_view() {
        // Left half black, right half white: a square crop centred far right is all white.
        let mut picture = RgbImage::new(200, 100);
        for (x, _, p) in picture.enumerate_pixels_mut() {
            *p = if x < 100 { image::Rgb([0, 0, 0]) } else { image::Rgb([255, 255, 255]) };
        }
        let e = encode_jpeg(&picture, 95).expect("encode");
        let right = make_derived(&e.bytes, Derived::Crop { rw: 1, rh: 1, focal: (950, 500) }).expect("crop");
        let right = image::load_from_memory(&right.bytes).expect("decode").to_rgb8();
        assert_eq!(right.dimensions(), (100, 100));
        assert!(right.get_pixel(5, 50).0[0] > 200, "the crop moved right, up to the edge");
        let left = make_derived(&e.bytes, Derived::Crop { rw: 1, rh: 1, focal: (0, 500) }).expect("crop");
        let left = image::load_from_memory(&left.bytes).expect("decode").to_rgb8();
        assert!(left.get_pixel(94, 50).0[0] < 50, "the crop moved left, up to the edge");
    }
}

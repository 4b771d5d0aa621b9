//! Images: encoding pictures into files, reading the size of stored files with limits, and
//! content-hashed file names so a stored file never changes under its name.

use image::{ImageEncoder, RgbImage};
use std::io::Cursor;

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
    #[error("the image is {width}x{height} pixels; at most {MAX_SIDE} per side is accepted")]
    TooLarge { width: u32, height: u32 },
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
    fn garbage_is_a_clear_error() {
        assert!(matches!(probe(b"not an image at all"), Err(MediaError::Decode(_))));
        assert_eq!(content_type("ab/cd.webp"), Some("image/webp"));
        assert_eq!(content_type("x.exe"), None);
    }
}

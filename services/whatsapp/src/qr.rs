//! The linking QR as a PNG and a data URL, rendered here from the raw payload the
//! worker reports (the browser never talks to the worker). The PNG is 1-bit
//! grayscale with stored (uncompressed) deflate blocks: about 20 KB, and no
//! image or compression crates in the build.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use qrcode::{Color, QrCode};

/// Pixels per QR module.
const SCALE: usize = 6;
/// Quiet zone in modules (the QR spec asks for 4).
const BORDER: usize = 4;

/// Why a QR could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum QrError {
    /// The payload does not fit a QR code.
    #[error("qr payload: {0}")]
    Encode(String),
}

/// A 1-bit grayscale PNG of the payload.
pub fn png(payload: &str) -> Result<Vec<u8>, QrError> {
    let code = QrCode::new(payload.as_bytes()).map_err(|e| QrError::Encode(e.to_string()))?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * BORDER) * SCALE;
    let row_bytes = side.div_ceil(8);
    // each scanline: filter byte 0, then the packed pixels (1 = white)
    let mut raw = Vec::with_capacity((row_bytes + 1) * side);
    for y in 0..side {
        raw.push(0u8);
        let mut row = vec![0u8; row_bytes];
        for x in 0..side {
            let module = |v: usize| (v / SCALE).checked_sub(BORDER).filter(|m| *m < modules);
            let dark = match (module(x), module(y)) {
                (Some(mx), Some(my)) => colors.get(my * modules + mx) == Some(&Color::Dark),
                _ => false,
            };
            if !dark && let Some(byte) = row.get_mut(x / 8) {
                *byte |= 0x80 >> (x % 8);
            }
        }
        raw.extend_from_slice(&row);
    }
    let side = u32::try_from(side).map_err(|e| QrError::Encode(e.to_string()))?;
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&side.to_be_bytes());
    // bit depth 1, grayscale, deflate, filter 0, no interlace
    ihdr.extend_from_slice(&[1, 0, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &zlib_stored(&raw));
    chunk(&mut out, b"IEND", &[]);
    Ok(out)
}

/// `data:image/png;base64,...` for an `<img src>`.
pub fn data_url(png: &[u8]) -> String {
    format!("data:image/png;base64,{}", STANDARD.encode(png))
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(out.get(start..).unwrap_or_default());
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A zlib stream of stored deflate blocks (RFC 1950/1951).
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let mut blocks = data.chunks(65_535).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(block) = blocks.next() {
        out.push(u8::from(blocks.peek().is_none()));
        let len = u16::try_from(block.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for x in bytes {
        a = (a + u32::from(*x)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_png() -> Result<(), QrError> {
        let png = png("2@abcdefghijklmnopqrstuvwxyz,0123456789,ABCDEFGH==,xyz")?;
        assert_eq!(png.get(..8), Some(&b"\x89PNG\r\n\x1a\n"[..]));
        assert!(data_url(&png).starts_with("data:image/png;base64,iVBOR"));
        Ok(())
    }

    #[test]
    fn checksums_match_known_values() {
        assert_eq!(crc32(b"IEND"), 0xae42_6082);
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
    }
}

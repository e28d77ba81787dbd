//! Image bombs (issue 13, point 3): a small file that declares a huge image
//! is refused from its header, before it is decoded; a client thumbnail is
//! bounded the same way; ten bombs at once leave the server small; a normal
//! screenshot still uploads.

#[macro_use]
mod util;

use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use util::*;

const SHOTS: &str = "/api/timesheet/screenshot";

/// The side of the bomb: 23000×23000 8-bit gray pixels are 529 MB
/// decoded, just under the image crate's default 512 MiB limit, so only
/// measuring stops it.
const BOMB_SIDE: u32 = 23_000;

/// Peak resident memory the server may reach while refusing ten bombs.
const MAX_PEAK_MB: u64 = 200;

/// Uploads `file` and maybe `thumb` as the desktop timer does: status and
/// body.
async fn upload(who: &Api, file: Vec<u8>, thumb: Option<Vec<u8>>) -> (u16, Value) {
    let part = |bytes: Vec<u8>, name: &str| {
        let mime =
            image::guess_format(&bytes).map_or("application/octet-stream", |f| f.to_mime_type());
        Part::bytes(bytes)
            .file_name(name.to_string())
            .mime_str(mime)
            .expect("mime")
    };
    let mut form = Form::new().part("file", part(file, "screenshot.png"));
    if let Some(thumb) = thumb {
        form = form.part("thumb", part(thumb, "thumb.png"));
    }
    let (status, body) = who
        .send(who.request(Method::POST, SHOTS).multipart(form))
        .await;
    (status.as_u16(), body)
}

/// A real, valid PNG of `side`×`side` black 8-bit gray pixels, about
/// `side²/8000` bytes: its one deflate block repeats "258 more zeros" in
/// two bits (one dynamic Huffman block whose only length is 258 and whose
/// only distance is 1), the densest deflate allows.
fn png_bomb(side: u32) -> Vec<u8> {
    // Every row is its filter byte (0, none) and `side` zeros.
    let raw = u64::from(side) * (u64::from(side) + 1);
    let mut bits = Bits::default();
    bits.put(1, 1); // the last block
    bits.put(2, 2); // dynamic Huffman codes
    bits.put(286 - 257, 5); // literal/length codes: up to 285 (length 258)
    bits.put(2 - 1, 5); // distance codes: 0 (distance 1) and 1
    // Code length code lengths, in the order RFC 1951 sends them: 18
    // (a run of zeros) is 1 bit, 2 and 1 are 2 bits; 18 of them are sent.
    let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1];
    bits.put(order.len() as u32 - 4, 4);
    for symbol in order {
        bits.put(
            match symbol {
                18 => 1,
                1 | 2 => 2,
                _ => 0,
            },
            3,
        );
    }
    // Canonical codes of that alphabet: 18 → 0, 1 → 10, 2 → 11.
    let zeros = |bits: &mut Bits, n: u32| {
        bits.code(0b0, 1);
        bits.put(n - 11, 7);
    };
    let (one, two) = (
        |b: &mut Bits| b.code(0b10, 2),
        |b: &mut Bits| b.code(0b11, 2),
    );
    // Literal 0 and end of block (256) are 2 bits, length 258 (285) is 1.
    two(&mut bits); // 0
    zeros(&mut bits, 138); // 1..=138
    zeros(&mut bits, 117); // 139..=255
    two(&mut bits); // 256
    zeros(&mut bits, 28); // 257..=284
    one(&mut bits); // 285
    one(&mut bits); // distance 0
    one(&mut bits); // distance 1
    // Canonical codes: 285 → 0, literal 0 → 10, end of block → 11;
    // distance 1 → 0.
    bits.code(0b10, 2);
    let mut left = raw - 1;
    while left >= 258 {
        bits.code(0b00, 2);
        left -= 258;
    }
    for _ in 0..left {
        bits.code(0b10, 2);
    }
    bits.code(0b11, 2);

    let mut zlib = vec![0x78, 0x01];
    zlib.extend(bits.bytes);
    // Adler-32 of `raw` zeros: a stays 1, b adds 1 per byte.
    let adler = ((raw % 65521) as u32) << 16 | 1;
    zlib.extend(adler.to_be_bytes());

    let mut ihdr = Vec::new();
    ihdr.extend(side.to_be_bytes());
    ihdr.extend(side.to_be_bytes());
    ihdr.extend([8, 0, 0, 0, 0]); // 8-bit gray, deflate, no filter, no interlace
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &zlib);
    chunk(&mut png, b"IEND", &[]);
    png
}

/// A deflate bit stream: values least significant bit first, Huffman codes
/// most significant bit first.
#[derive(Default)]
struct Bits {
    bytes: Vec<u8>,
    used: u32,
}

impl Bits {
    fn put(&mut self, value: u32, n: u32) {
        for i in 0..n {
            if self.used.is_multiple_of(8) {
                self.bytes.push(0);
            }
            if value >> i & 1 == 1 {
                *self.bytes.last_mut().expect("a byte") |= 1 << (self.used % 8);
            }
            self.used += 1;
        }
    }

    fn code(&mut self, code: u32, n: u32) {
        for i in (0..n).rev() {
            self.put(code >> i & 1, 1);
        }
    }
}

/// Appends a PNG chunk: length, type, data, CRC-32 of type and data.
fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend((data.len() as u32).to_be_bytes());
    png.extend(kind);
    png.extend(data);
    let crc = !kind.iter().chain(data).fold(!0u32, |crc, &b| {
        (0..8).fold(crc ^ u32::from(b), |c, _| {
            if c & 1 == 1 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            }
        })
    });
    png.extend(crc.to_be_bytes());
}

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::load_from_memory(&png(w, h)).expect("png").to_rgb8();
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("encode jpeg");
    out.into_inner()
}

/// The server's peak resident memory so far, in MB (VmHWM).
fn peak_mb(server: &Server) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.pid()))
        .expect("/proc/PID/status of stint serve");
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no VmHWM in:\n{status}"));
    kb / 1024
}

/// Omar, signed in, on a fresh server.
async fn omar(server: &Server) -> Session {
    server.user(OMAR, &[]).await;
    server.login(OMAR, PASSWORD).await
}

async fn assert_nothing_stored(who: &Session) {
    let (status, page) = who.get(SHOTS).await;
    assert_eq!(status, 200, "{page}");
    assert!(ids(&page).is_empty(), "{page}");
}

#[test]
fn the_bomb_is_a_real_png_that_declares_23000_pixels_a_side() {
    let bomb = png_bomb(BOMB_SIDE);
    assert!(bomb.len() < 600_000, "{} bytes", bomb.len());
    let reader = image::ImageReader::new(std::io::Cursor::new(&bomb))
        .with_guessed_format()
        .expect("sniff");
    assert_eq!(reader.format(), Some(image::ImageFormat::Png));
    assert_eq!(reader.into_dimensions().unwrap(), (BOMB_SIDE, BOMB_SIDE));
    // The same construction, small enough to decode here: every pixel.
    let small = image::load_from_memory(&png_bomb(300)).expect("a valid PNG");
    assert_eq!((small.width(), small.height()), (300, 300));
    assert!(small.to_luma8().pixels().all(|p| p.0 == [0]));
}

both!(a_bomb_is_refused_from_its_header, |backend| async move {
    let server = Server::start(backend).await;
    let omar = omar(&server).await;
    let (status, body) = upload(&omar, png_bomb(BOMB_SIDE), None).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["message"],
        "file is 23000×23000 pixels; at most 40 megapixels are accepted"
    );
    assert_nothing_stored(&omar).await;
});

both!(a_bomb_as_thumb_is_refused, |backend| async move {
    let server = Server::start(backend).await;
    let omar = omar(&server).await;
    let (status, body) = upload(&omar, png(64, 48), Some(png_bomb(BOMB_SIDE))).await;
    assert_eq!(status, 400, "{body}");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("thumb is 23000×23000 pixels;"),
        "{body}"
    );
    // A bomb in both fields: refused for the file, before the thumb.
    let (status, body) = upload(&omar, png_bomb(BOMB_SIDE), Some(png_bomb(BOMB_SIDE))).await;
    assert_eq!(status, 400, "{body}");
    assert_nothing_stored(&omar).await;
});

both!(a_thumb_wider_than_640_px_is_refused, |backend| async move {
    let server = Server::start(backend).await;
    let omar = omar(&server).await;
    let (status, body) = upload(&omar, png(1280, 720), Some(png(1000, 100))).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["message"],
        "thumb is 1000×100 pixels; at most 640 wide and 2000 high are accepted"
    );
    // Not an image the server keeps, whatever its name says.
    let (status, body) = upload(&omar, png(1280, 720), Some(b"GIF89a...".to_vec())).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["message"], "thumb must be a PNG, JPEG or WebP image");
    assert_nothing_stored(&omar).await;
    // 640 px wide is a thumbnail.
    let (status, body) = upload(&omar, png(1280, 720), Some(png(640, 360))).await;
    assert_eq!(status, 201, "{body}");
});

both!(
    ten_bombs_at_once_leave_the_server_small,
    |backend| async move {
        let server = Server::start(backend).await;
        let omar = omar(&server).await;
        let before = peak_mb(&server);
        let bomb = png_bomb(BOMB_SIDE);
        let mut sent = tokio::task::JoinSet::new();
        for i in 0..10 {
            let (who, bomb) = (omar.api.clone(), bomb.clone());
            // Half in `file`, half in both fields (the 1 GB case).
            let thumb = (i % 2 == 1).then(|| bomb.clone());
            sent.spawn(async move { upload(&who, bomb, thumb).await });
        }
        while let Some(answer) = sent.join_next().await {
            let (status, body) = answer.expect("upload task");
            assert!((400..500).contains(&status), "{status}: {body}");
        }
        let peak = peak_mb(&server);
        eprintln!("{backend:?}: peak RSS {before} MB before, {peak} MB after ten bombs");
        assert!(
            peak < MAX_PEAK_MB,
            "peak RSS {peak} MB after ten bombs (limit {MAX_PEAK_MB} MB)"
        );
        assert_nothing_stored(&omar).await;
        // And it still takes a real screenshot.
        let (status, body) = upload(&omar, png(1280, 720), None).await;
        assert_eq!(status, 201, "{body}");
    }
);

both!(a_normal_jpeg_still_uploads, |backend| async move {
    let server = Server::start(backend).await;
    let omar = omar(&server).await;
    let full = jpeg(1920, 1080);
    let (status, shot) = upload(&omar, full.clone(), None).await;
    assert_eq!(status, 201, "{shot}");
    assert_eq!(
        (shot["width"].as_u64(), shot["height"].as_u64()),
        (Some(1920), Some(1080))
    );
    let (status, bytes) = omar
        .send_bytes(omar.request(Method::GET, shot["file"].as_str().unwrap()))
        .await;
    assert_eq!(status, 200);
    assert_eq!(bytes, full);
    // With the client's own JPEG thumbnail, kept as sent.
    let thumb = jpeg(320, 180);
    let (status, shot) = upload(&omar, jpeg(1920, 1080), Some(thumb.clone())).await;
    assert_eq!(status, 201, "{shot}");
    let (_, bytes) = omar
        .send_bytes(omar.request(Method::GET, shot["thumb"].as_str().unwrap()))
        .await;
    assert_eq!(bytes, thumb);
});

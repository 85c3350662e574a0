/**
 * Small real image files for the tests, built byte by byte (no image library in workerd): a JPEG
 * and a WebP as an encoder wrote them, a PNG made here, and the metadata a phone would add
 * (EXIF with a GPS position, XMP, IPTC, comments, PNG text chunks) to prove that it is stripped.
 */
import { concat as joinBytes } from '../../worker/images/strip';

const fromBase64 = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
const ascii = (s: string) => new TextEncoder().encode(s);

/** The bytes of `parts`, one after another (the Worker's own joining, spread). */
export const concat = (...parts: Uint8Array[]): Uint8Array => joinBytes(parts);

const u16be = (n: number) => Uint8Array.of(n >> 8, n & 255);
const u32be = (n: number) => Uint8Array.of(n >>> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255);
const u32le = (n: number) => Uint8Array.of(n & 255, (n >> 8) & 255, (n >> 16) & 255, n >>> 24);

/** True when `needle` occurs in `hay`. */
export function contains(hay: Uint8Array, needle: Uint8Array | string): boolean {
  const n = typeof needle === 'string' ? ascii(needle) : needle;
  outer: for (let i = 0; i + n.length <= hay.length; i++) {
    for (let j = 0; j < n.length; j++) if (hay[i + j] !== n[j]) continue outer;
    return true;
  }
  return false;
}

/** A 16 × 12 baseline JPEG, red (sharp 0.34 `create` → `.jpeg({ quality: 80 })`), no metadata. */
export const JPEG_16x12 = fromBase64(
  '/9j/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAMABADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAb/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABQf/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCEAHq+/9k=',
);

/** A 16 × 12 lossy WebP (a bare `VP8 ` chunk), red, from the same encoder. */
export const WEBP_16x12 = fromBase64(
  'UklGRjgAAABXRUJQVlA4ICwAAACQAQCdASoQAAwAAUAmJaACdLoAA5gA/vD6K67xaUa/+8Z//cZ//cZ/7uAAAA==',
);

/** The GPS latitude 40° 48' 30.21" as the EXIF rationals store it (little-endian): what must not survive. */
export const GPS_SECONDS = concat(u32le(3021), u32le(100));

/**
 * An EXIF block (TIFF, little-endian) with IFD0 pointing to a GPS IFD that holds a latitude: how
 * a phone records where a photo was taken.
 */
function exifWithGps(): Uint8Array {
  // Offsets from the TIFF header: IFD0 at 8 (1 entry: 2 + 12 + 4 = 18 bytes), GPS IFD at 26
  // (2 entries: 2 + 24 + 4 = 30 bytes), the latitude's three rationals at 56.
  const entry = (tag: number, type: number, count: number, value: Uint8Array) =>
    concat(Uint8Array.of(tag & 255, tag >> 8, type, 0), u32le(count), value);
  const tiff = concat(
    ascii('II*\0'),
    u32le(8),
    Uint8Array.of(1, 0),
    entry(0x8825, 4, 1, u32le(26)), // GPSInfo → the GPS IFD
    u32le(0),
    Uint8Array.of(2, 0),
    entry(0x0001, 2, 2, ascii('N\0\0\0')), // GPSLatitudeRef
    entry(0x0002, 5, 3, u32le(56)), // GPSLatitude → three rationals
    u32le(0),
    concat(u32le(40), u32le(1), u32le(48), u32le(1)),
    GPS_SECONDS,
  );
  return concat(ascii('Exif\0\0'), tiff);
}

const segment = (marker: number, body: Uint8Array) => concat(Uint8Array.of(0xff, marker), u16be(body.length + 2), body);

/**
 * `jpeg` with what a phone and an editor add after its start: APP1 Exif with GPS, APP1 XMP, APP13
 * IPTC, a comment, and bytes after its end.
 */
export function jpegWithMetadata(jpeg = JPEG_16x12): Uint8Array {
  return concat(
    jpeg.subarray(0, 2),
    segment(0xe1, exifWithGps()),
    segment(0xe1, ascii('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta exif:GPSLatitude="40,48.5N"/>')),
    segment(0xed, ascii('Photoshop 3.0\x008BIM Hohhot No. 2 School')),
    segment(0xfe, ascii('Taken at Hohhot No. 2 School')),
    jpeg.subarray(2),
    ascii('trailer after the end of image'),
  );
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 255]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One PNG chunk, its CRC computed. */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const typed = concat(ascii(type), data);
  return concat(u32be(data.length), typed, u32be(crc32(typed)));
}

/** zlib data of stored (uncompressed) deflate blocks: a valid IDAT without a compressor. */
function zlibStored(raw: Uint8Array): Uint8Array {
  const blocks: Uint8Array[] = [Uint8Array.of(0x78, 0x01)];
  for (let i = 0; i < raw.length || i === 0; i += 65535) {
    const part = raw.subarray(i, i + 65535);
    const last = i + 65535 >= raw.length ? 1 : 0;
    blocks.push(
      Uint8Array.of(last, part.length & 255, part.length >> 8, ~part.length & 255, (~part.length >> 8) & 255),
    );
    blocks.push(part);
  }
  let a = 1;
  let b = 0;
  for (const x of raw) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  blocks.push(u32be(((b << 16) | a) >>> 0));
  return concat(...blocks);
}

/**
 * A real RGB PNG of `width` × `height` (a gradient), with `extra` chunks after IHDR. `declared`
 * overrides the size IHDR claims (the pixels stay `width` × `height`), for the limit tests.
 */
export function png(
  width: number,
  height: number,
  extra: Uint8Array[] = [],
  declared: { width: number; height: number } = { width, height },
): Uint8Array {
  const raw = new Uint8Array(height * (1 + width * 3));
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      raw.set([(x * 255) / width, (y * 255) / height, 128], y * (1 + width * 3) + 1 + x * 3);
  const ihdr = concat(u32be(declared.width), u32be(declared.height), Uint8Array.of(8, 2, 0, 0, 0));
  return concat(
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    pngChunk('IHDR', ihdr),
    ...extra,
    pngChunk('IDAT', zlibStored(raw)),
    pngChunk('IEND', new Uint8Array()),
  );
}

/** PNG chunks of the kind editors and phones write: a text comment, EXIF with GPS, a time. */
export const PNG_METADATA = [
  pngChunk('tEXt', ascii('Comment\0Taken at Hohhot No. 2 School')),
  pngChunk('iTXt', ascii('XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta exif:GPSLatitude="40,48.5N"/>')),
  pngChunk('eXIf', exifWithGps().subarray(6)),
  pngChunk('tIME', Uint8Array.of(0x07, 0xea, 12, 5, 18, 0, 0)),
];

/** `webp` (a bare VP8 chunk) as an extended WebP with EXIF (GPS) and XMP chunks, flagged in VP8X. */
export function webpWithMetadata(webp = WEBP_16x12): Uint8Array {
  const riffChunk = (type: string, data: Uint8Array) =>
    concat(ascii(type), u32le(data.length), data, data.length & 1 ? Uint8Array.of(0) : new Uint8Array());
  const width = 16;
  const height = 12;
  const vp8x = concat(
    Uint8Array.of(0x08 | 0x04, 0, 0, 0),
    Uint8Array.of((width - 1) & 255, (width - 1) >> 8, 0, (height - 1) & 255, (height - 1) >> 8, 0),
  );
  const body = concat(
    riffChunk('VP8X', vp8x),
    webp.subarray(12),
    riffChunk('EXIF', exifWithGps().subarray(6)),
    riffChunk('XMP ', ascii('<x:xmpmeta exif:GPSLatitude="40,48.5N"/>')),
  );
  return concat(ascii('RIFF'), u32le(4 + body.length), ascii('WEBP'), body);
}

/**
 * What an uploaded file really is, read from its bytes: JPEG, PNG or WebP and its pixel size from
 * the headers (JPEG's SOFn frame header, PNG's IHDR, WebP's VP8X, VP8 or VP8L chunk). Anything
 * else (HTML, SVG, which may hold script, GIF, PDF, a truncated file) is not an image here,
 * whatever its name or the type its sender claims.
 */
import type { ImageType } from '../contract';

export interface Sniffed {
  type: ImageType;
  width: number;
  height: number;
}

const u16be = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
const u24le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
export const u32be = (b: Uint8Array, i: number) =>
  ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
export const u32le = (b: Uint8Array, i: number) =>
  (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
export const ascii = (b: Uint8Array, i: number, n: number) => String.fromCharCode(...b.subarray(i, i + n));
const startsWith = (b: Uint8Array, bytes: readonly number[]) => bytes.every((x, i) => b[i] === x);

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/** JPEG markers of a frame header (SOF0–SOF15 but DHT C4, JPG C8 and DAC CC), which hold the size. */
export const isFrameMarker = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
/** JPEG markers that stand alone, without a length: TEM and the restart markers RST0–7. */
export const isStandalone = (m: number) => m === 0x01 || (m >= 0xd0 && m <= 0xd7);

function jpegSize(b: Uint8Array): { width: number; height: number } | null {
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++; // a fill byte
      continue;
    }
    if (isStandalone(marker)) {
      i += 2;
      continue;
    }
    // The start of scan or the end before any frame header: not an image with a size.
    if (marker === 0xda || marker === 0xd9) return null;
    const length = u16be(b, i + 2);
    if (length < 2 || i + 2 + length > b.length) return null;
    if (isFrameMarker(marker)) {
      if (length < 8) return null;
      return { height: u16be(b, i + 5), width: u16be(b, i + 7) };
    }
    i += 2 + length;
  }
  return null;
}

function pngSize(b: Uint8Array): { width: number; height: number } | null {
  if (b.length < 33 || ascii(b, 12, 4) !== 'IHDR' || u32be(b, 8) !== 13) return null;
  return { width: u32be(b, 16), height: u32be(b, 20) };
}

function webpSize(b: Uint8Array): { width: number; height: number } | null {
  if (b.length < 30) return null;
  const chunk = ascii(b, 12, 4);
  const d = 20;
  if (chunk === 'VP8X') return { width: u24le(b, d + 4) + 1, height: u24le(b, d + 7) + 1 };
  // A lossy key frame: its start code, then 14 bits of width and 14 of height (2 bits of scale each).
  if (chunk === 'VP8 ' && b[d + 3] === 0x9d && b[d + 4] === 0x01 && b[d + 5] === 0x2a)
    return { width: (b[d + 6]! | (b[d + 7]! << 8)) & 0x3fff, height: (b[d + 8]! | (b[d + 9]! << 8)) & 0x3fff };
  // A lossless bitstream: its signature byte, then width − 1 and height − 1 in 14 bits each.
  if (chunk === 'VP8L' && b[d] === 0x2f) {
    const bits = u32le(b, d + 1);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  return null;
}

/** The file's type and pixel size, or null when it is none of the accepted image types. */
export function sniffImage(b: Uint8Array): Sniffed | null {
  let type: ImageType;
  let size: { width: number; height: number } | null;
  if (startsWith(b, [0xff, 0xd8, 0xff])) [type, size] = ['image/jpeg', jpegSize(b)];
  else if (startsWith(b, PNG_SIGNATURE)) [type, size] = ['image/png', pngSize(b)];
  else if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP')
    [type, size] = ['image/webp', webpSize(b)];
  else return null;
  return size ? { type, ...size } : null;
}

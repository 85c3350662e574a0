/**
 * Metadata removed byte by byte before an image is stored: classroom photos may carry where they
 * were taken (EXIF GPS), when, with which phone, and the names of those in them (XMP, IPTC). Only
 * what draws the picture is kept, listed below; anything else, known or not, is dropped, so a
 * camera's private block cannot slip through. Pixels are never decoded or changed.
 */
import type { ImageType } from '../contract';
import { PNG_SIGNATURE, ascii, isStandalone, u32be, u32le } from './sniff';

/** A file whose structure does not hold together (a chunk running past the end, no end marker). */
export class BrokenImage extends Error {}

/** The bytes of `parts`, one after another. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * JPEG: keeps APP0 only as JFIF, APP2 only as an ICC profile, APP14 only as Adobe's colour
 * transform; drops every other APPn (APP1 Exif and XMP, APP13 IPTC, MPF's extra pictures, …),
 * comments, and anything after the end of image (where some phones append more).
 */
function stripJpeg(b: Uint8Array): Uint8Array {
  const keepApp: Record<number, string> = { 0xe0: 'JFIF\0', 0xe2: 'ICC_PROFILE\0', 0xee: 'Adobe' };
  const parts: Uint8Array[] = [b.subarray(0, 2)];
  let i = 2;
  for (;;) {
    if (i + 2 > b.length || b[i] !== 0xff) throw new BrokenImage('JPEG segment expected');
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0xd9) {
      parts.push(b.subarray(i, i + 2));
      return concat(parts);
    }
    if (isStandalone(marker)) {
      parts.push(b.subarray(i, i + 2));
      i += 2;
      continue;
    }
    if (i + 4 > b.length) throw new BrokenImage('JPEG segment cut short');
    const end = i + 2 + ((b[i + 2]! << 8) | b[i + 3]!);
    if (end > b.length) throw new BrokenImage('JPEG segment runs past the end');
    const isApp = marker >= 0xe0 && marker <= 0xef;
    const signature = keepApp[marker];
    const keep = isApp ? signature !== undefined && ascii(b, i + 4, signature.length) === signature : marker !== 0xfe;
    if (keep) parts.push(b.subarray(i, end));
    i = end;
    if (marker === 0xda) {
      // Entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart.
      let j = i;
      while (j + 1 < b.length && !(b[j] === 0xff && b[j + 1] !== 0x00 && !(b[j + 1]! >= 0xd0 && b[j + 1]! <= 0xd7)))
        j++;
      if (j + 1 >= b.length) throw new BrokenImage('JPEG scan without an end');
      parts.push(b.subarray(i, j));
      i = j;
    }
  }
}

/** PNG chunks that draw the picture (critical ones and colour information); all others are dropped. */
const PNG_KEEP = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'cICP']);

/** PNG: keeps the chunks of {@link PNG_KEEP}, so text (tEXt, iTXt, zTXt), eXIf and tIME go, up to IEND. */
function stripPng(b: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [b.subarray(0, PNG_SIGNATURE.length)];
  let i: number = PNG_SIGNATURE.length;
  for (;;) {
    if (i + 12 > b.length) throw new BrokenImage('PNG without IEND');
    const type = ascii(b, i + 4, 4);
    const end = i + 12 + u32be(b, i);
    if (end > b.length) throw new BrokenImage('PNG chunk runs past the end');
    if (PNG_KEEP.has(type)) parts.push(b.subarray(i, end));
    i = end;
    if (type === 'IEND') return concat(parts);
  }
}

/** WebP chunks that draw the picture; EXIF, XMP and unknown chunks are dropped. */
const WEBP_KEEP = new Set(['VP8X', 'VP8 ', 'VP8L', 'ALPH', 'ICCP', 'ANIM', 'ANMF']);
/** VP8X flags saying EXIF or XMP follow, cleared with them. */
const WEBP_METADATA_FLAGS = 0x08 | 0x04;

/** WebP: keeps the chunks of {@link WEBP_KEEP}, clears the metadata flags and writes the new RIFF size. */
function stripWebp(b: Uint8Array): Uint8Array {
  const riffEnd = Math.min(b.length, 8 + u32le(b, 4));
  const parts: Uint8Array[] = [];
  let i = 12;
  while (i + 8 <= riffEnd) {
    const size = u32le(b, i + 4);
    // Chunks are padded to an even length.
    const end = i + 8 + size + (size & 1);
    if (i + 8 + size > riffEnd) throw new BrokenImage('WebP chunk runs past the end');
    const type = ascii(b, i, 4);
    if (WEBP_KEEP.has(type)) {
      const chunk = b.slice(i, Math.min(end, riffEnd));
      if (type === 'VP8X') chunk[8] = chunk[8]! & ~WEBP_METADATA_FLAGS;
      parts.push(chunk);
    }
    i = end;
  }
  const body = concat(parts);
  const out = new Uint8Array(12 + body.length);
  out.set(b.subarray(0, 12));
  new DataView(out.buffer).setUint32(4, 4 + body.length, true);
  out.set(body, 12);
  return out;
}

/** The image without its metadata; throws {@link BrokenImage} when its structure is broken. */
export function stripMetadata(b: Uint8Array, type: ImageType): Uint8Array {
  switch (type) {
    case 'image/jpeg':
      return stripJpeg(b);
    case 'image/png':
      return stripPng(b);
    case 'image/webp':
      return stripWebp(b);
  }
}

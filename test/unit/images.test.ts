/**
 * Images by their bytes: the type and size read from the headers whatever the name, and
 * metadata (EXIF with GPS, XMP, IPTC, text chunks, comments) gone while every byte that draws the
 * picture stays. Images on choices: which question types and sources may have them.
 */
import { describe, expect, it } from 'vitest';
import { sniffImage } from '../../worker/images/sniff';
import { BrokenImage, stripMetadata } from '../../worker/images/strip';
import { question as questionSchema } from '../../worker/questions/schema';
import { ownOptionImagesQuestion } from '../responses';
import {
  GPS_SECONDS,
  JPEG_16x12,
  PNG_METADATA,
  WEBP_16x12,
  contains,
  jpegWithMetadata,
  png,
  webpWithMetadata,
} from '../support/images';

const text = (s: string) => new TextEncoder().encode(s);

describe('sniffImage', () => {
  it('reads JPEG, PNG and WebP (lossy, lossless, extended) with their sizes', () => {
    expect(sniffImage(JPEG_16x12)).toEqual({ type: 'image/jpeg', width: 16, height: 12 });
    expect(sniffImage(jpegWithMetadata())).toEqual({ type: 'image/jpeg', width: 16, height: 12 });
    expect(sniffImage(png(20, 9))).toEqual({ type: 'image/png', width: 20, height: 9 });
    expect(sniffImage(WEBP_16x12)).toEqual({ type: 'image/webp', width: 16, height: 12 });
    expect(sniffImage(webpWithMetadata())).toEqual({ type: 'image/webp', width: 16, height: 12 });
    // VP8L: signature 0x2f, then width − 1 = 99 and height − 1 = 49 in 14 bits each.
    const bits = 99 | (49 << 14);
    const vp8l = Uint8Array.of(
      ...text('RIFF'),
      22,
      0,
      0,
      0,
      ...text('WEBPVP8L'),
      10,
      0,
      0,
      0,
      0x2f,
      bits & 255,
      (bits >> 8) & 255,
      (bits >> 16) & 255,
      bits >>> 24,
      0,
      0,
      0,
      0,
      0,
    );
    expect(sniffImage(vp8l)).toEqual({ type: 'image/webp', width: 100, height: 50 });
  });

  it('refuses what is not one of them, whatever it claims to be', () => {
    for (const file of [
      text('<!doctype html><script>alert(1)</script>'),
      text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
      text('GIF89a\x10\x00\x0c\x00'),
      text('%PDF-1.7'),
      new Uint8Array(),
      JPEG_16x12.subarray(0, 40), // cut before its frame header
      png(4, 4).subarray(0, 20),
    ])
      expect(sniffImage(file)).toBeNull();
  });
});

describe('stripMetadata', () => {
  it('JPEG: drops Exif (GPS), XMP, IPTC, comments and trailing bytes; keeps the picture byte for byte', () => {
    const dirty = jpegWithMetadata();
    expect(contains(dirty, 'Exif')).toBe(true);
    const clean = stripMetadata(dirty, 'image/jpeg');
    for (const gone of ['Exif', 'GPS', 'xmpmeta', 'Photoshop', 'Hohhot', 'trailer'])
      expect(contains(clean, gone)).toBe(false);
    expect(contains(clean, GPS_SECONDS)).toBe(false);
    expect(clean).toEqual(JPEG_16x12);
    expect([clean[0], clean[1], clean.at(-2), clean.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
  });

  it('JPEG: keeps JFIF, ICC and Adobe segments, and a restart marker in the scan', () => {
    const app = (marker: number, body: string) => Uint8Array.of(0xff, marker, 0, body.length + 2, ...text(body));
    const kept = [app(0xe0, 'JFIF\0\x01\x01'), app(0xe2, 'ICC_PROFILE\0\x01\x01'), app(0xee, 'Adobe\0')];
    const withRestart = Uint8Array.of(...JPEG_16x12.subarray(0, -2), 0xff, 0xd0, 0x12, 0xff, 0x00, 0xff, 0xd9);
    const file = Uint8Array.of(
      ...withRestart.subarray(0, 2),
      ...kept.flatMap((k) => [...k]),
      ...withRestart.subarray(2),
    );
    expect(stripMetadata(file, 'image/jpeg')).toEqual(file);
    // An APP2 that is not an ICC profile (MPF's extra pictures) goes.
    const mpf = Uint8Array.of(...JPEG_16x12.subarray(0, 2), ...app(0xe2, 'MPF\0'), ...JPEG_16x12.subarray(2));
    expect(stripMetadata(mpf, 'image/jpeg')).toEqual(JPEG_16x12);
  });

  it('PNG: drops tEXt, iTXt, eXIf and tIME; keeps the pixels', () => {
    const clean = stripMetadata(png(20, 9, PNG_METADATA), 'image/png');
    for (const gone of ['tEXt', 'iTXt', 'eXIf', 'tIME', 'Hohhot', 'xmpmeta']) expect(contains(clean, gone)).toBe(false);
    expect(contains(clean, GPS_SECONDS)).toBe(false);
    expect(clean).toEqual(png(20, 9));
  });

  it('WebP: drops EXIF and XMP, clears their flags and fixes the RIFF size', () => {
    const clean = stripMetadata(webpWithMetadata(), 'image/webp');
    for (const gone of ['EXIF', 'XMP ', 'xmpmeta']) expect(contains(clean, gone)).toBe(false);
    expect(contains(clean, GPS_SECONDS)).toBe(false);
    expect(new DataView(clean.buffer).getUint32(4, true)).toBe(clean.length - 8);
    expect(clean[20]! & 0x0c).toBe(0);
    expect(contains(clean, WEBP_16x12.subarray(12))).toBe(true);
    expect(sniffImage(clean)).toEqual({ type: 'image/webp', width: 16, height: 12 });
  });

  it('refuses a broken structure instead of storing it', () => {
    expect(() => stripMetadata(JPEG_16x12.subarray(0, -2), 'image/jpeg')).toThrow(BrokenImage);
    expect(() => stripMetadata(png(4, 4).subarray(0, -12), 'image/png')).toThrow(BrokenImage);
  });
});

describe('images on choices', () => {
  const ref = (id: string) => ({ id: id.padEnd(22, 'x'), width: 40, height: 30 });
  const withImages = ownOptionImagesQuestion(ref('first'), ref('second'));
  const own = { ...withImages, id: 'own-q', source: { own: true } };
  const issues = (q: unknown) =>
    questionSchema.safeParse(q).error?.issues.map((i) => [i.path.join('.'), i.message]) ?? [];

  it('belong to a teacher’s own single, multi or poll only', () => {
    expect(issues(own)).toEqual([]);
    const { answer: _answer, ...poll } = own;
    expect(issues({ ...poll, type: 'poll' })).toEqual([]);
    const message = 'only the options of a single-choice, multiple-choice or poll question may carry an image';
    expect(issues({ ...own, type: 'ordering', answer: ['b', 'a', 'c'] })).toEqual([
      ['options.0.image', message],
      ['options.1.image', message],
    ]);
    const text = { zh: '词', en: 'Word' };
    const matching = {
      ...poll,
      type: 'matching',
      options: [
        { id: 'a', text },
        { id: 'b', text },
      ],
      targets: [
        { id: 'x', text, image: withImages.options[0]!.image },
        { id: 'y', text },
      ],
      answer: { a: 'x', b: 'y' },
    };
    expect(issues(matching)).toEqual([['targets.0.image', message]]);
    const bank = {
      ...withImages,
      id: 'bank-q',
      source: { section: 'intro', quote: '草原上的蒙古包', quoteEn: 'Yurts' },
    };
    expect(issues(bank)).toContainEqual(['options.0.image', 'only a teacher’s own question may carry an image']);
  });
});

/**
 * An uploaded file checked and cleaned before it is stored: an accepted type by its bytes, within
 * the size limits, its metadata stripped. Every file is checked, whatever the quiz builder did
 * before sending it.
 */
import { IMAGE_LIMITS, type ImageType } from '../contract';
import { ApiError } from '../lib/errors';
import { sniffImage } from './sniff';
import { BrokenImage, stripMetadata } from './strip';

export interface CheckedImage {
  type: ImageType;
  width: number;
  height: number;
  /** The file without its metadata. */
  data: Uint8Array;
}

const MB = IMAGE_LIMITS.maxBytes / (1024 * 1024);

export function checkImage(file: Uint8Array): CheckedImage {
  if (file.length > IMAGE_LIMITS.maxBytes)
    throw new ApiError(413, 'image_too_large', `An image may have at most ${MB} MB; make it smaller first.`);
  const sniffed = sniffImage(file);
  if (!sniffed)
    throw new ApiError(415, 'not_an_image', 'This file is not a JPEG, PNG or WebP image (whatever its name says).');
  const { width, height } = sniffed;
  const { maxSide, minSide, maxPixels } = IMAGE_LIMITS;
  if (width < minSide || height < minSide || width > maxSide || height > maxSide || width * height > maxPixels)
    throw new ApiError(
      422,
      'image_dimensions',
      `An image must be ${minSide}–${maxSide} pixels a side and at most ${maxPixels / 1e6} megapixels; this one is ${width} × ${height}.`,
    );
  try {
    return { ...sniffed, data: stripMetadata(file, sniffed.type) };
  } catch (err) {
    if (err instanceof BrokenImage)
      throw new ApiError(415, 'not_an_image', `This image file is damaged (${err.message}).`);
    throw err;
  }
}

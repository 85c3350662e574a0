/**
 * Images on teachers' own questions: the reference a question carries, and the limits an upload
 * must meet (the quiz builder checks them before sending; the Worker checks every file again).
 */
import type { Localized } from './questions';

/**
 * An image on a question's stem or on one of its choices. `width` and `height` are the largest
 * stored size, set by the Worker from the upload (never taken from the client), so that a page can
 * reserve the space.
 */
export interface QuestionImage {
  id: string;
  /** Read by screen readers, and shown when the image cannot load: required in both languages. */
  alt: Localized;
  width: number;
  height: number;
}

/** What `POST /api/images` answers. */
export interface UploadedImage {
  id: string;
  width: number;
  height: number;
}

/** The content types an upload may have, recognised by their bytes, never by the file's name. */
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

export const IMAGE_LIMITS = {
  /** Bytes per file. */
  maxBytes: 2 * 1024 * 1024,
  /** Pixels on either side, at most and at least. */
  maxSide: 4096,
  minSide: 8,
  /** Pixels in all. */
  maxPixels: 16_000_000,
  /** Files (widths of one image) per upload. */
  maxFiles: 2,
} as const;

/**
 * The widths the quiz builder makes of a photo (never larger than the photo): one for phones, one
 * for the projector. `GET /api/images/:id?w=` serves the smallest stored width at least `w`.
 */
export const IMAGE_WIDTHS = { phone: 640, projector: 1600 } as const;

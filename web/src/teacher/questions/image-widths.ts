/**
 * A photo made ready to upload, in the teacher's browser (no image service): turned upright as its
 * EXIF orientation says, then drawn at a phone width and a projector width (never larger than the
 * photo, nor taller than the Worker accepts) and encoded as WebP, or JPEG where the browser cannot
 * write WebP. Redrawing also leaves the photo's metadata behind; the Worker strips it again anyway.
 */
import { IMAGE_LIMITS, IMAGE_WIDTHS } from '../../../../worker/contract';

const QUALITY = 0.85;

function encode(canvas: HTMLCanvasElement, type: string): Promise<Blob | null> {
  return new Promise((resolve) => canvas.toBlob(resolve, type, QUALITY));
}

/** The photo at each width, smallest first; throws when the browser cannot read it as an image. */
export async function imageWidths(file: Blob): Promise<Blob[]> {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    const { width, height } = bitmap;
    const widest = Math.min(width, Math.floor((IMAGE_LIMITS.maxSide * width) / height));
    const widths = [...new Set([IMAGE_WIDTHS.phone, IMAGE_WIDTHS.projector].map((w) => Math.min(w, widest)))];
    const blobs: Blob[] = [];
    for (const w of widths) {
      const canvas = document.createElement('canvas');
      canvas.width = w;
      canvas.height = Math.max(1, Math.round((height * w) / width));
      canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      const webp = await encode(canvas, 'image/webp');
      const blob = webp?.type === 'image/webp' ? webp : await encode(canvas, 'image/jpeg');
      if (!blob) throw new Error('the image could not be encoded');
      blobs.push(blob);
    }
    return blobs;
  } finally {
    bitmap.close();
  }
}

/**
 * Images in R2 and D1 together: storing an upload's widths, attaching images to the question that
 * names them, and deleting them (with a question, an account, or unattached after a day). R2 keys
 * are `u/<owner>/<image>/<width>`, so an account's files are found by their prefix alone.
 */
import { and, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import { images } from '../../db/schema';
import { UNATTACHED_IMAGE_HOURS, type Question, type QuestionImage, type UploadedImage } from '../contract';
import type { Env } from '../env';
import { randomToken } from '../lib/crypto';
import type { Database } from '../lib/db';
import { ApiError } from '../lib/errors';
import type { CheckedImage } from './check';

export type ImageRow = typeof images.$inferSelect;
type ImageRef = Pick<ImageRow, 'id' | 'ownerId' | 'widths'>;

const ownerPrefix = (ownerId: string) => `u/${ownerId}/`;
export const imageKey = (image: Pick<ImageRow, 'id' | 'ownerId'>, width: number) =>
  `${ownerPrefix(image.ownerId)}${image.id}/${width}`;

/**
 * Stores the widths of one image (each already checked and stripped). They must be one picture:
 * different widths with the same proportions (give or take a pixel of rounding).
 */
export async function storeImage(
  env: Env,
  db: Database,
  ownerId: string,
  files: CheckedImage[],
): Promise<UploadedImage> {
  const sorted = [...files].sort((a, b) => a.width - b.width);
  const largest = sorted.at(-1)!;
  for (const [i, f] of sorted.entries()) {
    const sameShape = Math.abs(f.width * largest.height - f.height * largest.width) <= largest.width + largest.height;
    if (!sameShape || (i > 0 && f.width === sorted[i - 1]!.width) || f.type !== largest.type)
      throw new ApiError(
        422,
        'image_dimensions',
        'The files of one upload must be one picture in different widths, of one type.',
      );
  }
  const row: ImageRow = {
    id: randomToken(16),
    ownerId,
    questionId: null,
    contentType: largest.type,
    width: largest.width,
    height: largest.height,
    bytes: sorted.reduce((n, f) => n + f.data.length, 0),
    widths: sorted.map((f) => f.width),
    createdAt: Date.now(),
  };
  // The row first: should a file fail to store, the retention run still finds and deletes the rest.
  await db.insert(images).values(row);
  await Promise.all(
    sorted.map((f) => env.IMAGES.put(imageKey(row, f.width), f.data, { httpMetadata: { contentType: f.type } })),
  );
  return { id: row.id, width: row.width, height: row.height };
}

/** Deletes these images' files, then their rows. */
export async function deleteImages(env: Env, db: Database, list: readonly ImageRef[]): Promise<void> {
  if (list.length === 0) return;
  await env.IMAGES.delete(list.flatMap((img) => img.widths.map((w) => imageKey(img, w))));
  await db.delete(images).where(
    inArray(
      images.id,
      list.map((img) => img.id),
    ),
  );
}

/** Deletes every file of an account, by its prefix (its rows go with the account, ON DELETE CASCADE). */
export async function deleteOwnerFiles(env: Env, ownerId: string): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await env.IMAGES.list({ prefix: ownerPrefix(ownerId), ...(cursor ? { cursor } : {}) });
    if (page.objects.length) await env.IMAGES.delete(page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}

/** The images a question shows (R2 keys and all). */
export const imagesOf = (db: Database, questionId: string) =>
  db.select().from(images).where(eq(images.questionId, questionId));

/** The images of a question as saved: what it names, with their stored size, and what it no longer names. */
export interface Claimed {
  question: Question;
  /** Statements attaching the named images, to run after the question's own row is written. */
  attach: ReturnType<typeof attachStatement>[];
  /** The question's images it no longer shows: delete them once it is saved. */
  dropped: ImageRow[];
}

const attachStatement = (db: Database, ids: string[], questionId: string) =>
  db.update(images).set({ questionId }).where(inArray(images.id, ids));

/** Every image reference in `q`: the stem's, then its choices'. */
export const imageRefsOf = (q: Question): QuestionImage[] => [
  ...(q.image ? [q.image] : []),
  ...('options' in q ? q.options.flatMap((o) => (o.image ? [o.image] : [])) : []),
];

/**
 * Checks that every image `q` names (on the stem or a choice) is the teacher's own and free (or
 * already this question's), and sets each reference's size from the stored image.
 */
export async function claimImages(db: Database, ownerId: string, q: Question): Promise<Claimed> {
  const named = imageRefsOf(q).map((ref) => ref.id);
  const rows = await db
    .select()
    .from(images)
    .where(and(eq(images.ownerId, ownerId), or(eq(images.questionId, q.id), inArray(images.id, named))));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const sized = (ref: QuestionImage): QuestionImage => {
    const row = byId.get(ref.id);
    if (!row || (row.questionId !== null && row.questionId !== q.id))
      throw new ApiError(400, 'image_not_found', 'The question names an image that is not one of your uploads.');
    return { ...ref, width: row.width, height: row.height };
  };
  // A spread keeps the question's type but not the union's link between `type` and `options`.
  const question = {
    ...q,
    ...(q.image ? { image: sized(q.image) } : {}),
    ...('options' in q ? { options: q.options.map((o) => (o.image ? { ...o, image: sized(o.image) } : o)) } : {}),
  } as Question;
  return {
    question,
    attach: named.length ? [attachStatement(db, named, q.id)] : [],
    dropped: rows.filter((r) => r.questionId === q.id && !named.includes(r.id)),
  };
}

/** Uploads no saved question named within {@link UNATTACHED_IMAGE_HOURS} hours of `now`, at most `limit`. */
export const unattachedImages = (db: Database, now: number, limit: number) =>
  db
    .select()
    .from(images)
    .where(and(isNull(images.questionId), lt(images.createdAt, now - UNATTACHED_IMAGE_HOURS * 3600 * 1000)))
    .limit(limit);

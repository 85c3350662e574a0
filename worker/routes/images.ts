/**
 * Images on teachers' questions. `POST /api/images` (a signed-in teacher) stores an upload: each
 * file checked by its bytes and cleaned of metadata (../images/check.ts), in one to two widths.
 * `GET /api/images/:id?w=` serves the smallest stored width of at least `w` pixels (else the
 * largest) to anyone with the address, as students' phones and the projector need: the id is 128
 * random bits, and a stored file never changes, so it is cached for a year.
 */
import { Hono } from 'hono';
import { eq } from 'drizzle-orm';
import * as z from 'zod';
import { images } from '../../db/schema';
import type { AppEnv } from '../env';
import { checkImage } from '../images/check';
import { imageKey, storeImage } from '../images/store';
import { database } from '../lib/db';
import { ApiError } from '../lib/errors';
import { requireTeacher } from '../lib/teacher-auth';
import { validate } from '../lib/validate';
import { imageId } from '../questions/schema';
import { uploadImageForm } from '../requests';

const notFound = () => new ApiError(404, 'image_not_found', 'There is no such image.');

export const imagesRoute = new Hono<AppEnv>()
  .post('/', requireTeacher, validate('form', uploadImageForm), async (c) => {
    const { file } = c.req.valid('form');
    const files = Array.isArray(file) ? file : [file];
    const checked = await Promise.all(files.map(async (f) => checkImage(new Uint8Array(await f.arrayBuffer()))));
    const stored = await storeImage(c.env, database(c.env.DB), c.get('teacher').id, checked);
    return c.json(stored, 201);
  })
  .get(
    '/:id',
    validate('param', z.object({ id: imageId })),
    validate('query', z.object({ w: z.coerce.number().int().min(1).max(10_000).optional() })),
    async (c) => {
      const row = await database(c.env.DB).query.images.findFirst({ where: eq(images.id, c.req.valid('param').id) });
      if (!row) throw notFound();
      const w = c.req.valid('query').w ?? Infinity;
      const width = row.widths.find((x) => x >= w) ?? row.widths.at(-1)!;
      const etag = `"${row.id}-${width}"`;
      const headers = {
        'Cache-Control': 'public, max-age=31536000, immutable',
        ETag: etag,
        'Content-Type': row.contentType,
        'X-Content-Type-Options': 'nosniff',
        // GIFT exports name the image by its full address, which another site (Moodle) may show.
        'Cross-Origin-Resource-Policy': 'cross-origin',
      };
      if (c.req.header('If-None-Match') === etag) return c.body(null, 304, headers);
      const object = await c.env.IMAGES.get(imageKey(row, width));
      if (!object) throw notFound();
      return c.body(object.body, 200, headers);
    },
  );

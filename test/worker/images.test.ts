/**
 * Images on teachers' questions, through the Worker with Miniflare's local R2: uploads checked by
 * their bytes (never their names) and their limits, metadata stripped before storing, served with
 * long cache headers, attached only by their owner, and deleted with their question, their
 * account, or after a day unattached.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../worker/index';
import { IMAGE_LIMITS, type Question, type UploadedImage } from '../../worker/contract';
import { DAY_MS } from '../../worker/lib/retention';
import { ownImageQuestion, ownOptionImagesQuestion } from '../responses';
import {
  GPS_SECONDS,
  JPEG_16x12,
  PNG_METADATA,
  concat,
  contains,
  jpegWithMetadata,
  png,
  webpWithMetadata,
} from '../support/images';
import { call, expectError, join, state, storedQuestion, teacher, upload } from './helpers';

const bytesOf = async (res: Response) => new Uint8Array(await res.arrayBuffer());
const served = (id: string, w?: number) =>
  worker.fetch(new Request(`http://quiz.test/api/images/${id}${w ? `?w=${w}` : ''}`), env, createExecutionContext());

/** Uploads `files` as teacher `cookie` and expects them stored. */
async function stored(cookie: string, ...files: Parameters<typeof upload>[1]): Promise<UploadedImage> {
  const res = await upload(cookie, files);
  expect(res.status, res.text).toBe(201);
  return res.json;
}

/** How many of an image's files R2 holds (under any owner). */
async function filesOf(id: string): Promise<number> {
  const listed = await env.IMAGES.list();
  return listed.objects.filter((o) => o.key.split('/')[2] === id).length;
}

const saveQuestion = (cookie: string, body: unknown, id?: string) =>
  call(id ? `/api/questions/${id}` : '/api/questions', { cookie, body, ...(id ? { method: 'PUT' } : {}) });

describe('uploading an image', () => {
  it('goes by the bytes: a PNG named photo.jpg is a PNG; HTML, SVG, GIF and PDF named .png are refused', async () => {
    const t = await teacher();
    const image = await stored(t.cookie, { data: png(20, 10), name: 'photo.jpg', type: 'image/jpeg' });
    expect(image).toEqual({ id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), width: 20, height: 10 });
    const res = await served(image.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('image/png');

    for (const data of ['<!doctype html><script>alert(1)</script>', '<svg onload="alert(1)"/>', 'GIF89a', '%PDF-1.7'])
      expectError(
        await upload(t.cookie, [{ data: new TextEncoder().encode(data), name: 'x.png', type: 'image/png' }]),
        415,
        'not_an_image',
      );
    expectError(await upload(t.cookie, [{ data: new Uint8Array(), name: 'empty.png' }]), 415, 'not_an_image');
  });

  it('keeps the limits: bytes, pixels a side and in all, and who may upload', async () => {
    const t = await teacher();
    const tooBig = concat(png(8, 8), new Uint8Array(IMAGE_LIMITS.maxBytes));
    expectError(await upload(t.cookie, [{ data: tooBig, name: 'big.png' }]), 413, 'image_too_large');
    for (const declared of [
      { width: 4096, height: 4096 }, // 16.8 megapixels
      { width: 5000, height: 10 },
      { width: 100, height: 4 },
    ])
      expectError(await upload(t.cookie, [{ data: png(8, 8, [], declared), name: 'a.png' }]), 422, 'image_dimensions');
    expect(
      (await upload(t.cookie, [{ data: png(8, 8, [], { width: 4000, height: 4000 }), name: 'a.png' }])).status,
    ).toBe(201);
    // Widths of one picture only, two at most, and not as JSON.
    expectError(
      await upload(t.cookie, [
        { data: png(20, 10), name: 'a.png' },
        { data: png(20, 20), name: 'b.png' },
      ]),
      422,
      'image_dimensions',
    );
    const three = [png(8, 8), png(16, 16), png(32, 32)].map((data) => ({ data, name: 'a.png' }));
    expectError(await upload(t.cookie, three), 400, 'invalid_form');
    expectError(await call('/api/images', { cookie: t.cookie, body: { file: 'x' } }), 400, 'invalid_form');
    expectError(await upload(undefined, [{ data: png(8, 8), name: 'a.png' }]), 401, 'signed_out');
  });

  it('strips EXIF (with its GPS position), XMP, IPTC and comments from a JPEG; the picture stays', async () => {
    const t = await teacher();
    const dirty = jpegWithMetadata();
    expect(contains(dirty, 'Exif') && contains(dirty, GPS_SECONDS)).toBe(true);
    const image = await stored(t.cookie, { data: dirty, name: 'IMG_0042.JPG', type: 'image/jpeg' });
    expect(image).toMatchObject({ width: 16, height: 12 });
    const bytes = await bytesOf(await served(image.id));
    for (const gone of ['Exif', 'GPS', 'xmpmeta', 'Photoshop', 'Hohhot'])
      expect(contains(bytes, gone), gone).toBe(false);
    expect(contains(bytes, GPS_SECONDS)).toBe(false);
    expect([bytes[0], bytes[1], bytes.at(-2), bytes.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    expect(bytes).toEqual(JPEG_16x12);
  });

  it('strips text, EXIF and time chunks from a PNG, and EXIF and XMP from a WebP', async () => {
    const t = await teacher();
    const p = await stored(t.cookie, { data: png(20, 10, PNG_METADATA), name: 'scan.png' });
    const pngBytes = await bytesOf(await served(p.id));
    for (const gone of ['tEXt', 'iTXt', 'eXIf', 'tIME', 'Hohhot']) expect(contains(pngBytes, gone), gone).toBe(false);
    expect(pngBytes).toEqual(png(20, 10));
    const w = await stored(t.cookie, { data: webpWithMetadata(), name: 'photo.webp' });
    const webp = await bytesOf(await served(w.id));
    expect(contains(webp, 'EXIF') || contains(webp, 'XMP ') || contains(webp, GPS_SECONDS)).toBe(false);
    expect(w).toMatchObject({ width: 16, height: 12 });
  });
});

describe('serving an image', () => {
  it('picks the smallest stored width of at least w, with year-long cache headers, an ETag and nosniff', async () => {
    const t = await teacher();
    const image = await stored(
      t.cookie,
      { data: png(32, 16), name: 'big.png' },
      { data: png(16, 8), name: 'small.png' },
    );
    expect(image).toMatchObject({ width: 32, height: 16 });
    for (const [w, bytes] of [
      [10, png(16, 8)],
      [16, png(16, 8)],
      [17, png(32, 16)],
      [5000, png(32, 16)],
      [undefined, png(32, 16)],
    ] as const)
      expect(await bytesOf(await served(image.id, w)), `w=${w}`).toEqual(bytes);
    const res = await call(`/api/images/${image.id}?w=640`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');
    const etag = res.headers.get('ETag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await call(`/api/images/${image.id}?w=640`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expectError(await call('/api/images/AAAAAAAAAAAAAAAAAAAAAA'), 404, 'image_not_found');
    expectError(await call('/api/images/x'), 400, 'invalid_param');
  });
});

describe('an image on a question', () => {
  it('is attached by its owner only, sized by the Worker, and shown to students with its alt text', async () => {
    const t = await teacher();
    const other = await teacher('Mr Other');
    const image = await stored(t.cookie, { data: png(40, 30), name: 'a.png' });
    // Another teacher cannot show it; nor can a bank-like source or a wrong size stick.
    expectError(await saveQuestion(other.cookie, ownImageQuestion(image)), 400, 'image_not_found');
    const made = await saveQuestion(t.cookie, ownImageQuestion({ ...image, width: 999, height: 1 }));
    expect(made.status, made.text).toBe(201);
    expect(made.json.question.image).toEqual({ ...ownImageQuestion(image).image, width: 40, height: 30 });
    // One image, one question.
    expectError(await saveQuestion(t.cookie, ownImageQuestion(image)), 400, 'image_not_found');
    // Alt text is required in both languages.
    const noAlt = ownImageQuestion(image);
    expectError(
      await saveQuestion(t.cookie, { ...noAlt, image: { ...noAlt.image, alt: { zh: '图', en: ' ' } } }, made.json.id),
      400,
      'invalid_question',
    );

    const quiz = await call('/api/quizzes', {
      cookie: t.cookie,
      body: { title: 'Photos', questionIds: [made.json.id] },
    });
    const session = await call('/api/sessions', { cookie: t.cookie, body: { title: 'Photos', quizId: quiz.json.id } });
    expect(session.status, session.text).toBe(201);
    const student = await join(session.json.code, 'Amy');
    const question = (await state(student.token)).current!.question;
    expect(question.image).toEqual(made.json.question.image);

    // The GIFT export shows it in an HTML stem, by its full address.
    const gift = await call(`/api/quizzes/${quiz.json.id}/export.gift?lang=en`, { cookie: t.cookie });
    expect(gift.text).toContain(
      `::[html]Which city is in the photo?<br><img src\\="http\\://quiz.test/api/images/${image.id}?w\\=1600" alt\\="The square in front of Dazhao Temple, hills behind it" width\\="40" height\\="30">{`,
    );
  });

  it('replaced or removed, the old one is deleted; deleting the question deletes its image, used or not', async () => {
    const t = await teacher();
    const first = await stored(t.cookie, { data: png(40, 30), name: 'a.png' });
    const second = await stored(t.cookie, { data: png(40, 30), name: 'b.png' }, { data: png(20, 15), name: 'c.png' });
    const made = await saveQuestion(t.cookie, ownImageQuestion(first));
    const id = made.json.id as string;
    expect(await filesOf(first.id)).toBe(1);
    expect((await saveQuestion(t.cookie, ownImageQuestion(second), id)).status).toBe(200);
    expect(await filesOf(first.id)).toBe(0);
    expect(await env.DB.prepare('SELECT 1 FROM images WHERE id = ?').bind(first.id).first()).toBeNull();
    expect(await filesOf(second.id)).toBe(2);
    const { image: _image, ...without } = ownImageQuestion(second);
    expect((await saveQuestion(t.cookie, without, id)).status).toBe(200);
    expect(await filesOf(second.id)).toBe(0);

    // Deleted unused: gone with the question.
    const third = await stored(t.cookie, { data: png(40, 30), name: 'd.png' });
    const q3 = await saveQuestion(t.cookie, ownImageQuestion(third));
    expect((await call(`/api/questions/${q3.json.id}`, { method: 'DELETE', cookie: t.cookie })).status).toBe(204);
    expect(await filesOf(third.id)).toBe(0);
    expect((await served(third.id)).status).toBe(404);

    // Deleted after a session used it: the question stays for the reports, without its image.
    const fourth = await stored(t.cookie, { data: png(40, 30), name: 'e.png' });
    const q4 = await saveQuestion(t.cookie, ownImageQuestion(fourth));
    const quiz = await call('/api/quizzes', { cookie: t.cookie, body: { title: 'Q', questionIds: [q4.json.id] } });
    expect((await call('/api/sessions', { cookie: t.cookie, body: { title: 'Q', quizId: quiz.json.id } })).status).toBe(
      201,
    );
    expect((await call(`/api/questions/${q4.json.id}`, { method: 'DELETE', cookie: t.cookie })).status).toBe(204);
    expect(await filesOf(fourth.id)).toBe(0);
    expect(((await storedQuestion(q4.json.id)) as Question).image).toBeUndefined();
  });

  it('on a choice: attached, shown with its option under the session id, deleted when removed or with the question', async () => {
    const t = await teacher();
    const first = await stored(t.cookie, { data: png(40, 30), name: 'a.png' });
    const second = await stored(t.cookie, { data: png(30, 40), name: 'b.png' });
    const body = ownOptionImagesQuestion({ ...first, width: 999 }, second);
    const made = await saveQuestion(t.cookie, body);
    expect(made.status, made.text).toBe(201);
    const id = made.json.id as string;
    expect(made.json.question.options[0].image).toEqual({ ...body.options[0]!.image, width: 40, height: 30 });
    // Both are this question's now: another question cannot name them.
    expectError(await saveQuestion(t.cookie, ownImageQuestion(second)), 400, 'image_not_found');

    const quiz = await call('/api/quizzes', { cookie: t.cookie, body: { title: 'Photos', questionIds: [id] } });
    const session = await call('/api/sessions', { cookie: t.cookie, body: { title: 'Photos', quizId: quiz.json.id } });
    const student = await join(session.json.code, 'Amy');
    const question = (await state(student.token)).current!.question;
    // The reference travels with its option, whose id is the session's; nothing else of the upload.
    expect(question.options!.map((o) => o.id)).not.toContain('a');
    // (Choices may be shown in another order: matched by their text.)
    expect(Object.fromEntries(question.options!.map((o) => [o.text.en, o.image]))).toEqual({
      Grassland: made.json.question.options[0].image,
      Desert: made.json.question.options[1].image,
      Neither: undefined,
    });
    expect(Object.keys(question.options!.find((o) => o.image)!.image!).sort()).toEqual([
      'alt',
      'height',
      'id',
      'width',
    ]);

    // Removed from its option on edit: gone from D1 and R2; the other stays.
    const { image: _dropped, ...plain } = body.options[1]!;
    const edited = await saveQuestion(t.cookie, { ...body, options: [body.options[0], plain, body.options[2]] }, id);
    expect(edited.status, edited.text).toBe(200);
    expect(await filesOf(second.id)).toBe(0);
    expect(await env.DB.prepare('SELECT 1 FROM images WHERE id = ?').bind(second.id).first()).toBeNull();
    expect(await filesOf(first.id)).toBe(1);
    // Deleted with the question.
    expect((await call(`/api/questions/${id}`, { method: 'DELETE', cookie: t.cookie })).status).toBe(204);
    expect(await filesOf(first.id)).toBe(0);
  });

  it('on a choice: refused on items to order (the rules: test/unit/images.test.ts), alt text required', async () => {
    const t = await teacher();
    const image = await stored(t.cookie, { data: png(40, 30), name: 'a.png' });
    const ref = { ...image, alt: { zh: '图', en: 'A photo' } };
    const ordering = {
      ...ownImageQuestion(image),
      type: 'ordering',
      image: undefined,
      options: [
        { id: 'a', text: { zh: '一', en: 'One' }, image: ref },
        { id: 'b', text: { zh: '二', en: 'Two' } },
        { id: 'c', text: { zh: '三', en: 'Three' } },
      ],
      answer: ['b', 'a', 'c'],
    };
    const refused = await saveQuestion(t.cookie, ordering);
    expectError(refused, 400, 'invalid_question');
    expect(refused.text).toContain(
      'only the options of a single-choice, multiple-choice or poll question may carry an image',
    );
    const single = ownOptionImagesQuestion(image, image);
    const noAlt = {
      ...single,
      options: [{ ...single.options[0], image: { ...ref, alt: { zh: '图', en: '' } } }, single.options[2]],
    };
    expectError(await saveQuestion(t.cookie, noAlt), 400, 'invalid_question');
  });

  it('an upload never attached is deleted by the retention run after a day; attached ones stay', async () => {
    const t = await teacher();
    const loose = await stored(t.cookie, { data: png(40, 30), name: 'a.png' });
    const kept = await stored(t.cookie, { data: png(40, 30), name: 'b.png' });
    expect((await saveQuestion(t.cookie, ownImageQuestion(kept))).status).toBe(201);
    const runCron = async (at: number) => {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: at, cron: '30 19 * * *' }), env, ctx);
      await waitOnExecutionContext(ctx);
    };
    await runCron(Date.now() + DAY_MS / 2);
    expect(await filesOf(loose.id)).toBe(1);
    await runCron(Date.now() + DAY_MS + 60_000);
    expect(await filesOf(loose.id)).toBe(0);
    expect(await env.DB.prepare('SELECT 1 FROM images WHERE id = ?').bind(loose.id).first()).toBeNull();
    expect(await filesOf(kept.id)).toBe(1);
  });

  it("deleting the account deletes every image of it, attached or not, and nobody else's", async () => {
    const t = await teacher();
    const other = await teacher('Mr Other');
    const attached = await stored(t.cookie, { data: png(40, 30), name: 'a.png' }, { data: png(20, 15), name: 'b.png' });
    const loose = await stored(t.cookie, { data: png(40, 30), name: 'c.png' });
    const theirs = await stored(other.cookie, { data: png(40, 30), name: 'd.png' });
    expect((await saveQuestion(t.cookie, ownImageQuestion(attached))).status).toBe(201);
    const res = await call('/api/auth/account', {
      method: 'DELETE',
      cookie: t.cookie,
      body: { password: 'correct horse battery' },
    });
    expect(res.status, res.text).toBe(204);
    expect(await filesOf(attached.id)).toBe(0);
    expect(await filesOf(loose.id)).toBe(0);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM images WHERE owner_id = ?').bind(t.id).first('n')).toBe(0);
    expect(await filesOf(theirs.id)).toBe(1);
  });
});

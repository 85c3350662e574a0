/**
 * An image on a question, in real Chromium: the teacher adds a photo in the question editor (the
 * browser resizes it and uploads the widths), cannot save it without describing it, saves; a
 * student's phone (self-paced) shows the photo at the phone width, with its description as alt
 * text. In a live game the projector shows it at its largest width, under the stem. Choices with a
 * photo each show it, small, inside their button on a phone.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownImageQuestion, ownOptionImagesQuestion } from '../responses';
import { PNG_METADATA, png } from '../support/images';
import {
  DOC_SHOTS,
  baseUrl,
  expectNoSidewaysScroll,
  joinLive,
  launch,
  openProjector,
  phone,
  registerTeacher,
  says,
  shot,
  shows,
  teacherApi,
} from './browser';
import type { CreatedSession, Question } from '../../worker/contract';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const ALT = { zh: '学校门口的操场和旗杆', en: 'The playground and flagpole at the school gate' };

describe('an image on a question', () => {
  it('is added in the editor, must be described, and shows on the phone with its description', async () => {
    const page = await registerTeacher(browser, 'Ms Image');
    await page.getByRole('link', { name: 'New quiz' }).click();
    await page.getByLabel('Quiz title').fill('Our school');
    await page.getByRole('button', { name: 'Write a question' }).click();

    await page.getByLabel('Question (Chinese)').fill('照片上是哪所学校？');
    await page.getByLabel('Question (English)').fill('Which school is in the photo?');
    // A photo as a phone takes it: with its text and EXIF (GPS) chunks, larger than a phone shows.
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      // (The stem's field; each choice has one of its own.)
      page
        .getByRole('group', { name: 'Image (optional)', exact: true })
        .getByRole('button', { name: 'Add an image' })
        .click(),
    ]);
    const uploads: number[] = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname === '/api/images' && r.request().method() === 'POST') uploads.push(r.status());
    });
    await chooser.setFiles({
      name: 'IMG_0042.png',
      mimeType: 'image/png',
      buffer: Buffer.from(png(900, 600, PNG_METADATA)),
    });
    await says(page, 'Image added.', { timeout: 10_000 });
    expect(uploads).toEqual([201]);

    await page.getByLabel('Option A (English)').fill('No. 1 Middle School');
    await page.getByLabel('Option B (English)').fill('No. 2 Middle School');
    await page.getByRole('radio', { name: 'B is correct' }).check();
    await page.getByLabel('Explanation (English)').fill('The flagpole stands at No. 2 Middle School.');
    await page.getByRole('checkbox', { name: 'Culture' }).check();

    // Not without a description of the image.
    await page.getByRole('button', { name: 'Save question' }).click();
    await says(page, 'Describe the image for students who cannot see it.');
    const altZh = page.getByLabel('What the image shows (Chinese)');
    expect(await altZh.evaluate((input) => input.matches(':focus'))).toBe(true);
    await altZh.fill(ALT.zh);
    await page.getByLabel('What the image shows (English)').fill(ALT.en);
    // The field alone, taken from the top of the page (scrolled, the builder's sticky bar would cover it).
    await page.evaluate('window.scrollTo(0, 0)');
    const field = (await page.locator('pg-image-field').first().boundingBox())!;
    await page.screenshot({ path: `${DOC_SHOTS}/images-editor.png`, fullPage: true, clip: field });
    // A choice's photo, in the choice's own field: not saved without a description either.
    const optionA = page.getByRole('group', { name: 'Image of option A (optional)' });
    const [choiceChooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      optionA.getByRole('button', { name: 'Add an image' }).click(),
    ]);
    await choiceChooser.setFiles({ name: 'gate.png', mimeType: 'image/png', buffer: Buffer.from(png(300, 200)) });
    // (Not described yet, its alt text is empty: no img role to find it by.)
    await expect.poll(() => optionA.locator('img').count(), { timeout: 10_000 }).toBe(1);
    await page.getByRole('button', { name: 'Save question' }).click();
    await says(page, 'Describe the image for students who cannot see it.');
    const choiceAltZh = optionA.getByLabel('What the image shows (Chinese)');
    expect(await choiceAltZh.evaluate((input) => input.matches(':focus'))).toBe(true);
    await optionA.getByLabel('What the image shows (English)').fill('A school gate');
    const [saved] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/questions' && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Save question' }).click(),
    ]);
    expect(saved.status()).toBe(201);
    const question = ((await saved.json()) as { question: Question }).question;
    expect(question.image).toMatchObject({ alt: ALT, width: 900, height: 600 });
    expect(question.type === 'single' && question.options[0]!.image).toMatchObject({
      alt: { zh: 'A school gate', en: 'A school gate' },
      width: 300,
      height: 200,
    });
    // Two widths went up, each a WebP drawn by the browser: the phone's 640 and the photo's own 900.
    const widths = await Promise.all(
      [640, 1600].map(async (w) => {
        const res = await fetch(`${baseUrl}/api/images/${question.image!.id}?w=${w}`);
        return { type: res.headers.get('Content-Type'), bytes: (await res.arrayBuffer()).byteLength };
      }),
    );
    expect(widths.map((x) => x.type)).toEqual(['image/webp', 'image/webp']);
    expect(widths[0]!.bytes).toBeLessThan(widths[1]!.bytes);

    const [quiz] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/quizzes' && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Save quiz' }).click(),
    ]);
    const { id: quizId } = (await quiz.json()) as { id: string };
    const opened = await page.request.post(`${baseUrl}/api/sessions`, {
      headers: { Origin: baseUrl },
      data: { title: 'Our school', quizId, lang: 'both' },
    });
    expect(opened.status(), await opened.text()).toBe(201);
    const session = (await opened.json()) as CreatedSession;

    // A student's phone, in Chinese: the photo at the phone width, described in both languages.
    const student = await phone(browser);
    await student.goto(`${baseUrl}/join/${session.code}`);
    await student.getByRole('textbox', { name: '昵称' }).fill('Amy');
    await student.getByRole('button', { name: '加入', exact: true }).click();
    const photo = student.getByRole('img', { name: `${ALT.zh} / ${ALT.en}` });
    await expect.poll(() => photo.isVisible(), { timeout: 20_000 }).toBe(true);
    // Loaded and decoded (its metadata stripped, its pixels whole), from the phone width's address.
    // (Typed by hand: these tests have no DOM types.)
    type Img = { complete: boolean; naturalWidth: number; currentSrc: string };
    const loaded = (img: unknown) => (img as Img).complete && (img as Img).naturalWidth > 0;
    await expect.poll(() => photo.evaluate(loaded)).toBe(true);
    expect(await photo.evaluate((img) => (img as unknown as Img).currentSrc)).toMatch(
      /\/api\/images\/[\w-]{22}\?w=640$/,
    );
    expect(await expectNoSidewaysScroll(student)).toBe(true);
    await shot(student, 'images-phone', DOC_SHOTS);
    await student.context().close();
    await page.context().close();
  });

  it('shows on the projector at its largest width, and on the phones, in a live game', async () => {
    // A signed-in teacher's live session of one question with a photo, through the HTTP API.
    const teacher = await teacherApi();
    const form = new FormData();
    for (const [w, h] of [
      [1000, 500],
      [640, 320],
    ] as const)
      form.append('file', new Blob([png(w, h)], { type: 'image/png' }), `photo-${w}.png`);
    const image = await teacher.upload('/api/images', form);
    const { session } = await teacher.liveSession('Photos', [ownImageQuestion(image)]);

    const { projector, errors } = await openProjector(browser, session);
    const amy = await joinLive(browser, session.code, 'Amy', true);
    await shows(projector, 'heading', '1 student');
    await projector.getByRole('button', { name: 'Start the game' }).click();
    const alt = ownImageQuestion(image).image.alt;
    const onScreen = projector.getByRole('img', { name: alt.en });
    await expect.poll(() => onScreen.isVisible(), { timeout: 10_000 }).toBe(true);
    type Img = { complete: boolean; naturalWidth: number; currentSrc: string };
    await expect.poll(() => onScreen.evaluate((img) => (img as unknown as Img).complete)).toBe(true);
    expect(await onScreen.evaluate((img) => (img as unknown as Img).currentSrc)).toMatch(/\?w=1000$/);
    // The answer tiles still fit the screen under it.
    expect(await projector.evaluate('document.documentElement.scrollHeight <= window.innerHeight + 1')).toBe(true);
    await expect.poll(() => amy.page.getByRole('img', { name: alt.zh }).isVisible()).toBe(true);
    await shot(projector, 'images-projector', DOC_SHOTS);
    expect(errors).toEqual([]);
    await amy.page.context().close();
    await projector.context().close();
  });

  it("on choices: a self-paced phone shows each choice's photo, small, inside its button, with its alt text", async () => {
    const teacher = await teacherApi();
    const upload = async (w: number, h: number) => {
      const form = new FormData();
      form.append('file', new Blob([png(w, h)], { type: 'image/png' }), `photo-${w}.png`);
      return teacher.upload('/api/images', form);
    };
    const made = await teacher.post(
      '/api/questions',
      ownOptionImagesQuestion(await upload(600, 400), await upload(400, 600)),
    );
    const quiz = await teacher.post('/api/quizzes', { title: 'Landscapes', questionIds: [made.id] });
    const session = (await teacher.post('/api/sessions', {
      title: 'Landscapes',
      quizId: quiz.id,
      lang: 'both',
    })) as CreatedSession;

    const student = await phone(browser);
    await student.goto(`${baseUrl}/join/${session.code}`);
    await student.getByRole('textbox', { name: '昵称' }).fill('Amy');
    await student.getByRole('button', { name: '加入', exact: true }).click();
    const { options } = (made as { question: Extract<Question, { type: 'single' }> }).question;
    type Img = { complete: boolean; naturalWidth: number; getBoundingClientRect(): { height: number; width: number } };
    for (const o of options.filter((x) => x.image)) {
      // In the choice's button, after its text: the button's name is its text, then the photo's description.
      const button = student.getByRole('button', { name: new RegExp(`^${o.text.zh}.*${o.image!.alt.zh}$`) });
      await expect.poll(() => button.isVisible(), { timeout: 10_000 }).toBe(true);
      const img = button.getByRole('img', { name: o.image!.alt.zh });
      await expect
        .poll(() => img.evaluate((el) => (el as unknown as Img).complete && (el as unknown as Img).naturalWidth > 0))
        .toBe(true);
      const box = await img.evaluate((el) => (el as unknown as Img).getBoundingClientRect());
      expect(box.height).toBeLessThanOrEqual(96.5);
      expect(box.height).toBeGreaterThan(40);
    }
    expect(await expectNoSidewaysScroll(student)).toBe(true);
    // (The pointer off the choices: it was left over the first one by the join button's tap.)
    await student.mouse.move(0, 0);
    await shot(student, 'images-options', DOC_SHOTS);
    // The feedback names the right choice with its photo too.
    await student.getByRole('button', { name: /^沙漠/ }).click();
    await shows(student, 'heading', '回答错误');
    const right = options.find((o) => o.id === 'a')!;
    await expect.poll(() => student.getByRole('img', { name: right.image!.alt.zh }).isVisible()).toBe(true);
    expect(await expectNoSidewaysScroll(student)).toBe(true);
    await student.context().close();
  });

  it("on choices: the projector's tiles show each photo inside the tile, the screen unscrolled", async () => {
    const teacher = await teacherApi();
    const upload = async (w: number, h: number) => {
      const form = new FormData();
      form.append('file', new Blob([png(w, h)], { type: 'image/png' }), `photo-${w}.png`);
      return teacher.upload('/api/images', form);
    };
    const { session } = await teacher.liveSession('Landscapes', [
      ownOptionImagesQuestion(await upload(900, 600), await upload(600, 900)),
    ]);
    const { projector, errors } = await openProjector(browser, session);
    const amy = await joinLive(browser, session.code, 'Amy', true);
    await shows(projector, 'heading', '1 student');
    await projector.getByRole('button', { name: 'Start the game' }).click();
    const photo = projector.getByRole('img', { name: 'Golden sand dunes' });
    await expect.poll(() => photo.isVisible(), { timeout: 20_000 }).toBe(true);
    // Within its tile (polled: the tiles settle once the photos and fonts are in).
    type Box = { top: number; bottom: number };
    type El = { complete: boolean; getBoundingClientRect(): Box; closest(s: string): El };
    const inside = (el: unknown) => {
      const img = (el as El).getBoundingClientRect();
      const tile = (el as El).closest('li').getBoundingClientRect();
      return (el as El).complete && img.top >= tile.top && img.bottom <= tile.bottom + 1;
    };
    await expect.poll(() => photo.evaluate(inside)).toBe(true);
    await shot(projector, 'images-options-projector');
    expect(await projector.evaluate('document.documentElement.scrollHeight <= window.innerHeight + 1')).toBe(true);
    // Amy answers; the reveal's bars carry each choice's photo beside its label.
    await amy.page.getByRole('button', { name: /草原\s*Grassland/ }).click();
    await shows(projector, 'heading', 'How the class answered', 10_000);
    for (const name of ['White yurts on the grassland', 'Golden sand dunes'])
      await expect.poll(() => projector.locator('pg-live-reveal').getByRole('img', { name }).isVisible()).toBe(true);
    await shot(projector, 'images-options-reveal', DOC_SHOTS);
    expect(await projector.evaluate('document.documentElement.scrollHeight <= window.innerHeight + 1')).toBe(true);
    expect(errors).toEqual([]);
    await amy.page.context().close();
    await projector.context().close();
  });
});

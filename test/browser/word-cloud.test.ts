/**
 * A live word cloud in real Chromium: two phones (360 px, in Chinese) type an answer each, one in
 * Chinese and one in English; the projector (1280×720, in English) shows the cloud growing, the
 * teacher's remote (360 px) lists the answers, and the teacher hides one answer from the cloud. The
 * phones say their answer was recorded, neither right nor wrong; the report keeps the hidden answer.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownOpen } from '../responses';
import {
  DOC_SHOTS,
  baseUrl,
  expectNoSidewaysScroll,
  joinLive,
  launch,
  says,
  shot,
  shows,
  openProjector,
  teacherApi,
  teacherScreen,
} from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** True when the projector's countdown number is one line inside its ring (locators pierce shadow roots). */
async function clockFits(page: Page): Promise<boolean> {
  const ring = (await page.locator('pg-live-clock .clock').boundingBox())!;
  const n = page.locator('pg-live-clock .n');
  const box = (await n.boundingBox())!;
  type Styles = { getComputedStyle(el: unknown): { fontSize: string } };
  const fontPx = await n.evaluate((el) => parseFloat((globalThis as unknown as Styles).getComputedStyle(el).fontSize));
  return box.height < 1.5 * fontPx && box.x >= ring.x && box.x + box.width <= ring.x + ring.width;
}

/** Lets the words finish growing in (0.6 s) before a screenshot. */
const settled = (page: Page) => page.waitForTimeout(800);

/** The words the projector's cloud shows, in its order. */
const cloudWords = (projector: Page) =>
  projector.locator('pg-word-cloud ul.words li').evaluateAll((items) => items.map((li) => li.textContent!.trim()));

describe('a live word cloud', () => {
  it('grows on the projector as the phones answer, and the teacher hides an answer from it', async () => {
    const { session } = await (await teacherApi()).liveSession('A word cloud', [ownOpen], { timeLimitSec: 120 });
    const { projector, errors } = await openProjector(browser, session);
    const students = [
      await joinLive(browser, session.code, 'Amy', true),
      await joinLive(browser, session.code, 'Ben', true),
    ];
    await shows(projector, 'heading', '2 students');
    await projector.getByRole('button', { name: 'Start the game' }).click();
    await expect.poll(() => students.every((s) => s.questions.length === 1), { timeout: 10_000 }).toBe(true);
    await says(projector, 'The words appear here as answers arrive.');
    // A limit of 120 s: the countdown's three digits stay on one line, inside its ring.
    expect(await clockFits(projector)).toBe(true);
    // The teacher's phone remote, 360 px wide, lists the answers too.
    const { page: remote } = await teacherScreen(
      browser,
      `${baseUrl}/teach/${session.id}/remote#key=${session.teacherKey}`,
      true,
    );
    await remote.setViewportSize({ width: 360, height: 740 });
    await says(remote, 'No answers yet.');

    // Amy types in Chinese; an input method's Enter ends the composition and sends nothing.
    const amy = students[0]!.page;
    const field = amy.getByRole('textbox', { name: '你的答案' });
    await expect.poll(() => field.getAttribute('maxlength')).toBe('80');
    await field.fill('民族团结');
    await field.dispatchEvent('keydown', { key: 'Enter', isComposing: true });
    await amy.getByRole('button', { name: '提交答案' }).click();
    await shows(amy, 'heading', '你的回答已记录');
    expect(await amy.getByText('回答错误').count()).toBe(0);
    expect(await expectNoSidewaysScroll(amy)).toBe(true);
    // (The biggest word stands in the middle, the next ones around it.)
    await expect.poll(() => cloudWords(projector), { timeout: 5000 }).toEqual(['民族', '团结']);
    await says(projector, '1 answer', { exact: true });
    await shows(remote, 'button', 'Hide from cloud: 民族团结');
    expect(await expectNoSidewaysScroll(remote)).toBe(true);

    await settled(projector);
    await shot(projector, 'word-cloud-question', DOC_SHOTS);

    // Ben types in English: the last answer closes the question, and the reveal shows the grown cloud.
    const ben = students[1]!.page;
    await ben.getByRole('textbox', { name: '你的答案' }).fill('Unity and progress');
    await ben.getByRole('button', { name: '提交答案' }).click();
    await shows(projector, 'heading', 'How the class answered', 10_000);
    await says(projector, '2 answers · 0 no answer');
    expect(await projector.getByText('Correct answer').count()).toBe(0);
    await expect
      .poll(async () => (await cloudWords(projector)).sort(), { timeout: 5000 })
      .toEqual(['progress', 'unity', '团结', '民族'].sort());
    // Screen readers get the words with their counts.
    expect(await projector.locator('pg-word-cloud ol.sr-only li').allTextContents()).toContain('unity: 1 answer');
    for (const s of students) {
      await shows(s.page, 'heading', '你的回答已记录');
      expect(await s.page.getByText('回答错误').count()).toBe(0);
    }
    await settled(projector);
    await shot(projector, 'word-cloud-projector', DOC_SHOTS);
    await shot(amy, 'word-cloud-phone', DOC_SHOTS);

    // The teacher unfolds the answers under the cloud and hides Ben's.
    await projector.getByText('Answers (2)').click();
    await projector.getByRole('button', { name: 'Hide from cloud: Unity and progress' }).click();
    await expect.poll(async () => (await cloudWords(projector)).sort(), { timeout: 5000 }).toEqual(['团结', '民族']);
    await says(projector, '2 answers · 0 no answer · 1 hidden');
    await shows(projector, 'button', 'Show in cloud: Unity and progress');
    await shows(remote, 'button', 'Show in cloud: Unity and progress');
    await settled(projector);
    await shot(projector, 'word-cloud-hidden', DOC_SHOTS);
    // The session report shows the cloud as the teacher left it, and puts the answer back on request.
    await projector.goto(`${baseUrl}/teach/${session.id}/report`);
    await shows(projector, 'heading', 'Word cloud', 10_000);
    // Nothing to grade: no average right, no item analysis and no flag on the open question.
    expect(await projector.locator('pg-session-report .facts').first().innerText()).toMatch(/Average right\s+—/);
    expect(await projector.locator('pg-session-report section.question dt', { hasText: 'Facility' }).count()).toBe(0);
    expect(await projector.getByRole('heading', { name: 'Score distribution' }).count()).toBe(0);
    expect(await projector.getByText('few responses').count()).toBe(0);
    const reportWords = () => projector.locator('pg-session-report pg-word-cloud ul.words li').allTextContents();
    await expect.poll(async () => (await reportWords()).map((w) => w.trim()).sort()).toEqual(['团结', '民族']);
    await projector.getByText('Answers (2)').click();
    await projector.getByRole('button', { name: 'Show in cloud: Unity and progress' }).click();
    await expect
      .poll(async () => (await reportWords()).map((w) => w.trim()).sort(), { timeout: 5000 })
      .toEqual(['progress', 'unity', '团结', '民族'].sort());
    await settled(projector);
    await shot(projector, 'word-cloud-report', DOC_SHOTS);
    expect(errors).toEqual([]);
    await remote.context().close();
    for (const s of students) await s.page.context().close();
    await projector.context().close();
  });
});

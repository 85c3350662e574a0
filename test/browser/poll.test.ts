/**
 * A live poll in real Chromium: the projector (in English) shows the votes per option with nobody
 * marked right, and the phones (in Chinese) say the choice was recorded, neither right nor wrong.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownPoll } from '../responses';
import { answerThroughUi, joinLive, launch, says, shot, shows, openProjector, teacherApi } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** A poll needs no explanation: nobody is right or wrong. */
const { explanation: _none, ...withoutExplanation } = ownPoll;

describe('a live poll', () => {
  it('shows the votes per option on the projector, and "recorded" on the phones', async () => {
    const {
      session,
      questions: [question],
    } = await (await teacherApi()).liveSession('A poll', [withoutExplanation]);
    const { projector, errors } = await openProjector(browser, session);

    const students = [
      await joinLive(browser, session.code, 'Amy', true),
      await joinLive(browser, session.code, 'Ben', true),
    ];
    await shows(projector, 'heading', '2 students');
    await projector.getByRole('button', { name: 'Start the game' }).click();
    await expect.poll(() => students.every((s) => s.questions.length === 1), { timeout: 10_000 }).toBe(true);
    await says(projector, '0 / 2 answered');

    // Both vote for the first option their phone shows.
    for (const s of students) await answerThroughUi(s.page, s.questions[0]!, true, 'zh', 'both', question);

    await shows(projector, 'heading', 'How the class answered', 10_000);
    await says(projector, '2 votes · 0 no answer');
    // One bar per option, none marked as the answer.
    expect(await projector.getByText('Correct answer').count()).toBe(0);
    // (The tiles come in the session's order of the options, as on the phones.)
    const bars = (await projector.locator('pg-live-reveal ul.bars li').allInnerTexts()).map((t) =>
      t.replace(/\s+/g, ' ').trim(),
    );
    expect(bars).toHaveLength(3);
    // Each voted for the first option their phone showed.
    const votes = students.map((st) => st.questions[0]!.options![0]!.text.en);
    for (const city of ['Baotou', 'Hohhot', 'Chifeng']) {
      const n = votes.filter((v) => v === city).length;
      expect(bars.find((b) => b.includes(city))).toMatch(new RegExp(` ${n} · ${n} answers?$`));
    }
    // Without an explanation the reveal shows none, on the projector and on the phones.
    expect(await projector.getByRole('heading', { name: 'Explanation' }).count()).toBe(0);
    // Nor an empty column for one: the bars take the reveal's whole width.
    const [chart, columns] = await Promise.all(
      ['pg-live-reveal ul.bars', 'pg-live-reveal .cols'].map((css) => projector.locator(css).boundingBox()),
    );
    expect(chart!.width).toBeGreaterThan(0.9 * columns!.width);
    for (const s of students) {
      await shows(s.page, 'heading', '你的选择已记录');
      expect(await s.page.getByText('回答错误').count()).toBe(0);
      expect(await s.page.getByRole('heading', { name: '解析' }).count()).toBe(0);
    }
    await shot(projector, 'live-poll-reveal');
    await shot(students[0]!.page, 'live-student-poll');
    expect(errors).toEqual([]);
    for (const s of students) await s.page.context().close();
    await projector.context().close();
  });
});

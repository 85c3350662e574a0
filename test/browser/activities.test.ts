/**
 * The activities beyond right-or-wrong in one live game, in real Chromium: a question with a photo,
 * a poll and a word cloud, played in two teams on the projector (1280×720, in English) and two
 * phones (360 px, in Chinese). The teacher places the students in teams from the remote; the
 * projector shows the photo, the votes, the cloud, the team ranking and the team podium; each
 * phone its team. Screenshots for the docs with DOC_SCREENSHOTS=1.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownImageQuestion, ownOpen, ownPoll } from '../responses';
import { png } from '../support/images';
import {
  DOC_SHOTS,
  answerThroughUi,
  baseUrl,
  joinLive,
  launch,
  openProjector,
  says,
  shot,
  shows,
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

describe('a live game with a photo, a poll and a word cloud, in teams', () => {
  it('plays on the projector and two phones', async () => {
    const teacher = await teacherApi();
    const form = new FormData();
    form.append('file', new Blob([png(1000, 500)], { type: 'image/png' }), 'photo.png');
    const image = await teacher.upload('/api/images', form);
    const photo = ownImageQuestion(image);
    const { session, questions } = await teacher.liveSession('Activities', [photo, ownPoll, ownOpen], {
      teams: 2,
      timeLimitSec: 60,
    });

    const { projector, errors } = await openProjector(browser, session);
    const amy = await joinLive(browser, session.code, 'Amy', true);
    const ben = await joinLive(browser, session.code, 'Ben', false);
    const students = [amy, ben];
    await says(amy.page, '你在第 1 队');
    await says(ben.page, '你在第 2 队');
    await shows(projector, 'heading', '2 students');

    // The teacher swaps the two from the remote's class list; the phones follow.
    const { page: remote } = await teacherScreen(
      browser,
      `${baseUrl}/teach/${session.id}/remote#key=${session.teacherKey}`,
      true,
    );
    await remote.getByRole('combobox', { name: 'Team of Amy' }).selectOption('2');
    await says(amy.page, '你在第 2 队');
    await remote.getByRole('combobox', { name: 'Team of Ben' }).selectOption('1');
    await says(ben.page, '你在第 1 队');
    await expect.poll(() => projector.getByRole('button', { name: 'Move Amy to Team 1' }).count()).toBe(1);
    await shot(remote, 'activities-remote', DOC_SHOTS);
    // The projector hides its controls while the remote is connected: the teacher goes on at the projector.
    await remote.context().close();

    // 1. The photo: large on the projector, on each phone with its description in the phone's language.
    await projector.getByRole('button', { name: 'Start the game' }).click();
    await expect.poll(() => students.every((s) => s.questions.length === 1), { timeout: 10_000 }).toBe(true);
    await expect
      .poll(() => projector.getByRole('img', { name: photo.image.alt.en }).isVisible(), { timeout: 10_000 })
      .toBe(true);
    for (const s of students)
      await expect.poll(() => s.page.getByRole('img', { name: photo.image.alt.zh }).isVisible()).toBe(true);
    await shot(projector, 'activities-photo', DOC_SHOTS);
    await shot(amy.page, 'activities-photo-phone', DOC_SHOTS);
    for (const s of students) await answerThroughUi(s.page, s.questions[0]!, s.right, 'zh', 'both', questions[0]);
    await shows(projector, 'heading', 'How the class answered', 10_000);
    // Amy (right) is in team 2 now, Ben (wrong) in team 1.
    await says(amy.page, '你的队伍排第 1 名');
    await says(ben.page, '你的队伍排第 2 名');
    await projector.keyboard.press('Space');
    const teams = projector.getByRole('table', { name: 'Teams' });
    await expect.poll(async () => (await teams.getByRole('row').allInnerTexts()).length).toBe(3);
    expect((await teams.getByRole('row').allInnerTexts())[1]).toMatch(/^1\s+Team 2\s/);
    await shot(projector, 'activities-teams', DOC_SHOTS);

    // 2. The poll: votes per option, nobody right or wrong, no points.
    await projector.getByRole('button', { name: 'Next question' }).click();
    await expect.poll(() => students.every((s) => s.questions.length === 2), { timeout: 10_000 }).toBe(true);
    for (const s of students) await answerThroughUi(s.page, s.questions[1]!, s.right, 'zh', 'both', questions[1]);
    await shows(projector, 'heading', 'How the class answered', 10_000);
    await says(projector, '2 votes');
    expect(await projector.getByText('Correct answer').count()).toBe(0);
    for (const s of students) await says(s.page, '你的选择已记录');
    await shot(projector, 'activities-poll', DOC_SHOTS);

    // 3. The word cloud: each phone types a word; the cloud grows on the projector.
    await projector.keyboard.press('Space');
    await shows(projector, 'table', 'Teams');
    await projector.getByRole('button', { name: 'Next question' }).click();
    await expect.poll(() => students.every((s) => s.questions.length === 3), { timeout: 10_000 }).toBe(true);
    const words = ['民族团结', '团结 进步'];
    for (const [i, s] of students.entries()) {
      await s.page.getByRole('textbox', { name: '你的答案' }).fill(words[i]!);
      await s.page.getByRole('button', { name: '提交答案' }).click();
      await shows(s.page, 'heading', '你的回答已记录');
    }
    await shows(projector, 'heading', 'How the class answered', 10_000);
    const cloud = projector.locator('pg-word-cloud ul.words li');
    await expect
      .poll(async () => (await cloud.allTextContents()).map((w) => w.trim()).sort(), { timeout: 5000 })
      .toEqual(['团结', '民族', '进步'].sort());
    // The word both students used is the biggest.
    const sizes = await cloud.evaluateAll((items) =>
      Object.fromEntries(
        items.map((li) => [
          li.textContent!.trim(),
          parseFloat((li as unknown as { style: { fontSize: string } }).style.fontSize),
        ]),
      ),
    );
    expect(sizes['团结']).toBeGreaterThan(sizes['民族']!);
    await projector.waitForTimeout(800);
    await shot(projector, 'activities-cloud', DOC_SHOTS);

    // The end: the team podium on the projector, each phone its team's place.
    await projector.getByRole('button', { name: 'Show the final results' }).click();
    const podium = projector.getByRole('table', { name: 'Team podium' });
    await expect.poll(async () => (await podium.getByRole('row').allInnerTexts()).length, { timeout: 10_000 }).toBe(3);
    expect((await podium.getByRole('row').allInnerTexts())[1]).toMatch(/^1\s+Team 2\s/);
    await says(amy.page, /你在第 2 队 · 你的队伍排第 1 名/);
    await says(ben.page, /你在第 1 队 · 你的队伍排第 2 名/);
    await shot(projector, 'activities-podium', DOC_SHOTS);
    expect(errors).toEqual([]);
    for (const s of students) await s.page.context().close();
    await projector.context().close();
  });
});

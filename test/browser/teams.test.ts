/**
 * Team mode in real Chromium: the projector (1280×720, in English) and two students on phones (in
 * Chinese) in two teams play two questions. Each phone names its team in the lobby, where the
 * teacher may move a student to another team; after the first question the projector ranks the
 * teams (average score, players) beside the top students; the end shows the team podium on the projector and each student's team rank on their phone.
 * Before that, the new-session form: teams for a live game, none for a contest.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerThroughUi, axe, baseUrl, joinLive, launch, says, shot, shows, openProjector } from './browser';
import type { CreatedSession } from '../../worker/contract';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('a live game in teams', () => {
  it('is created from the new-session form, and its page says how many teams', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, bypassCSP: true });
    await context.addInitScript("localStorage.setItem('pomegranate:lang', 'en')");
    const page = await context.newPage();
    await page.goto(`${baseUrl}/teach`);
    await page.getByLabel('Title').fill('Team game');
    const teams = page.getByRole('combobox', { name: 'Teams' });
    expect(await teams.count()).toBe(0);
    await page.getByRole('radio', { name: /^Live/ }).check();
    await teams.selectOption('4');
    await says(page, "A team's score is its players' average");
    // A contest has no teams: the choice is off, and the form says why.
    const contest = page.getByRole('checkbox', { name: 'Contest (several classes at once)' });
    await contest.check();
    expect(await teams.isDisabled()).toBe(true);
    await says(page, 'A contest has no teams.');
    expect(await axe(page)).toEqual([]);
    await contest.uncheck();
    await page.getByRole('button', { name: 'Create session' }).click();
    await shows(page, 'heading', 'Session ready', 10_000);
    await page.getByRole('button', { name: 'Open the teacher view' }).click();
    await says(page, '4 teams', { timeout: 10_000 });
    await context.close();
  });

  it('shows each phone its team, and the projector the team ranking and the team podium', async () => {
    const created = await fetch(`${baseUrl}/api/sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        title: 'Teams',
        mode: 'live',
        count: 2,
        types: ['single'],
        timeLimitSec: 30,
        teams: 2,
      }),
    });
    expect(created.status).toBe(201);
    const session = (await created.json()) as CreatedSession;

    const { projector, errors } = await openProjector(browser, session);

    // The first student goes to team 1, the second to the smaller team 2.
    const amy = await joinLive(browser, session.code, 'Amy', true);
    await says(amy.page, '你在第 1 队');
    const ben = await joinLive(browser, session.code, 'Ben', false);
    await says(ben.page, '你在第 2 队');
    const students = [amy, ben];
    await shows(projector, 'heading', '2 students');
    // The teacher moves Ben from the projector's lobby (his team's button takes him to the next team), then back.
    await projector.getByRole('button', { name: 'Move Ben to Team 1' }).click();
    await says(ben.page, '你在第 1 队');
    await projector.getByRole('button', { name: 'Move Ben to Team 2' }).click();
    await says(ben.page, '你在第 2 队');

    await projector.getByRole('button', { name: 'Start the game' }).click();
    for (let n = 0; n < 2; n++) {
      await expect.poll(() => students.every((s) => s.questions.length === n + 1), { timeout: 10_000 }).toBe(true);
      for (const s of students) await answerThroughUi(s.page, s.questions[n]!, s.right, 'zh');
      await shows(projector, 'heading', 'How the class answered', 10_000);
      await says(amy.page, '你的队伍排第 1 名');
      await says(ben.page, '你的队伍排第 2 名');
      if (n === 0) {
        // The team ranking first, the top students beside it.
        await projector.keyboard.press('Space');
        const teams = projector.getByRole('table', { name: 'Teams' });
        await expect.poll(async () => (await teams.getByRole('row').allInnerTexts()).length).toBe(3);
        const rows = await teams.getByRole('row').allInnerTexts();
        expect(rows[1]).toMatch(/^1\s+Team 1\s+[1-9]\d*\s+1$/);
        expect(rows[2]).toMatch(/^2\s+Team 2\s+0\s+1$/);
        await shows(projector, 'table', 'Top 5');
        // A phone marks its own team in words.
        await shows(amy.page, 'table', '队伍排名');
        await says(amy.page, '（你的队伍）');
        await shot(projector, 'live-teams-leaderboard');
        await projector.getByRole('button', { name: 'Next question' }).click();
      } else {
        await projector.getByRole('button', { name: 'Show the final results' }).click();
      }
    }

    const podium = projector.getByRole('table', { name: 'Team podium' });
    await expect.poll(async () => (await podium.getByRole('row').allInnerTexts()).length, { timeout: 10_000 }).toBe(3);
    const rows = await podium.getByRole('row').allInnerTexts();
    expect(rows[1]).toMatch(/^1\s+Team 1\s/);
    expect(rows[2]).toMatch(/^2\s+Team 2\s/);
    await shows(projector, 'list', 'Podium');
    await shot(projector, 'live-teams-podium');
    await says(amy.page, /你在第 1 队 · 你的队伍排第 1 名/);
    await shows(ben.page, 'table', '队伍领奖台');
    expect(errors).toEqual([]);
    for (const s of students) await s.page.context().close();
    await projector.context().close();
  });
});

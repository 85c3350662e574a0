/**
 * A live game in real Chromium: the projector (1280×720, in English) and three students on phones
 * (in Chinese) play two questions. Amy answers right at once, Ben right a little later, Cat
 * wrong; the projector reveals, shows the top 5, and the podium puts them in that order, as does
 * each student's final standing. On the way: the teacher removes a fourth student, a second tab
 * takes over a student's place (and gives it back), a phone loses its network and reconnects, the
 * teacher pauses and resumes by keyboard, a student reloads in the middle of a question, and the
 * projector reloads on the leaderboard. Screenshots of each stage go to test-results/screenshots.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerThroughUi,
  baseUrl,
  expectNoSidewaysScroll,
  joinLive,
  launch,
  says,
  shot,
  shows,
  type LiveStudent,
  openProjector,
} from './browser';
import type { CreatedSession } from '../../worker/contract';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Joins on a phone through the join page, which sends a live session's student to `/live/<CODE>`. */
let join: (name: string, right: boolean) => Promise<LiveStudent>;

describe('a live game', () => {
  it('runs from the lobby to the podium on a projector and three phones', async () => {
    const created = await fetch(`${baseUrl}/api/sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Unity week, live', mode: 'live', count: 2, types: ['single'], timeLimitSec: 30 }),
    });
    expect(created.status).toBe(201);
    const session = (await created.json()) as CreatedSession;
    join = (name, right) => joinLive(browser, session.code, name, right);

    // The projector: opened with the teacher link's key, which then leaves the address bar.
    const { projector, errors } = await openProjector(browser, session);
    expect(new URL(projector.url()).hash).toBe('');
    const joinUrl = `${baseUrl}/join/${session.code}`;
    await shows(projector, 'img', `Scan to join: QR code of ${joinUrl}`, 10_000);
    await says(projector, joinUrl, { exact: true });
    await shows(projector, 'heading', '0 students');

    const students = [await join('Amy', true), await join('Ben', true), await join('Cat', false)];
    const [amy, ben, cat] = students as [LiveStudent, LiveStudent, LiveStudent];
    await shows(projector, 'heading', '3 students');
    for (const s of students)
      expect(await projector.getByRole('button', { name: `Remove ${s.name}` }).isVisible()).toBe(true);

    // The teacher removes Dan: his phone says so, and the lobby no longer lists him.
    const dan = await join('Dan', false);
    await shows(projector, 'heading', '4 students');
    await projector.getByRole('button', { name: 'Remove Dan' }).click();
    await shows(dan.page, 'heading', '你已被移出游戏');
    await shows(projector, 'heading', '3 students');
    await dan.page.context().close();

    // A second tab of Amy's takes her place (close code 4000); "continue here" takes it back.
    const tab = await amy.page.context().newPage();
    await tab.goto(`${baseUrl}/live/${session.code}`);
    await shows(tab, 'heading', '你已加入！');
    // (Through wrangler dev the close reaches the old tab about 2 s late: the runtime leaves the TCP
    // connection open after the close frame, and Chromium waits 2 s before giving up on it.)
    await shows(amy.page, 'heading', '已在别处打开', 10_000);
    await amy.page.getByRole('button', { name: '在这个屏幕继续' }).click();
    await shows(amy.page, 'heading', '你已加入！');
    await shows(tab, 'heading', '已在别处打开', 10_000);
    await tab.close();

    // Cat's phone loses the network: "reconnecting" at once, and back when the network is.
    await cat.page.context().setOffline(true);
    await says(cat.page, '连接中断，正在重新连接…');
    await cat.page.context().setOffline(false);
    await expect.poll(() => cat.page.getByText('连接中断，正在重新连接…').count(), { timeout: 10_000 }).toBe(0);
    await shot(projector, 'live-lobby');
    await shot(amy.page, 'live-student-lobby');
    expect(await expectNoSidewaysScroll(amy.page)).toBe(true);

    await projector.getByRole('button', { name: 'Start the game' }).click();
    for (let n = 0; n < 2; n++) {
      await expect.poll(() => students.every((s) => s.questions.length === n + 1), { timeout: 10_000 }).toBe(true);
      await says(projector, `Question ${n + 1} / 2`);
      await says(projector, '0 / 3 answered');
      await shows(amy.page, 'progressbar', '剩余时间');
      if (n === 0) {
        await shot(projector, 'live-question');
        await shot(amy.page, 'live-student-question');
      } else {
        // P pauses (every screen says so, the clock stops) and P resumes.
        await projector.keyboard.press('p');
        await says(projector, /^Paused · \d+ seconds left$/);
        await says(amy.page, /^老师暂停了游戏 · 还剩 \d+ 秒$/);
        await projector.keyboard.press('p');
        await shows(amy.page, 'progressbar', '剩余时间');
        await shows(projector, 'button', 'Pause');
      }

      // Amy right at once, Ben right two seconds later (on the second question after a reload,
      // which brings the question back with the time left), Cat wrong.
      for (const s of students) {
        if (s === ben) await s.page.waitForTimeout(2000);
        if (s === ben && n === 1) {
          await s.page.reload();
          const clock = s.page.getByRole('progressbar', { name: '剩余时间' });
          await expect.poll(() => clock.isVisible()).toBe(true);
          expect(Number(await clock.getAttribute('aria-valuenow'))).toBeLessThan(30);
        }
        await answerThroughUi(s.page, s.questions[n]!, s.right, 'zh');
        // (The last answer closes the question at once: Cat goes straight to the reveal.)
        if (s !== cat) await shows(s.page, 'heading', '答案已收到');
        if (s === amy) await says(projector, '1 / 3 answered');
      }

      // Everyone answered: the server closes the question and every screen shows the reveal.
      // (The right tile's bar is marked "✓ Correct answer".)
      await shows(projector, 'heading', 'How the class answered', 10_000);
      await says(projector, 'Correct answer');
      await says(projector, '2 right · 1 wrong · 0 no answer');
      await shows(projector, 'heading', 'From the article');
      for (const s of students) await shows(s.page, 'heading', s.right ? '回答正确' : '回答错误');
      await says(amy.page, /^第 1 名（共 3 人）/);
      if (n === 1) await says(amy.page, '连对 2 题');
      if (n === 0) {
        await shot(projector, 'live-reveal');
        await shot(amy.page, 'live-student-result');
        await shot(cat.page, 'live-student-result-wrong');
        for (const s of students) expect(await expectNoSidewaysScroll(s.page)).toBe(true);

        // The top 5, by keyboard this time (Space = next), then the next question by its button.
        await projector.keyboard.press('Space');
        const top = projector.getByRole('table', { name: 'Top 5' });
        await expect.poll(async () => (await top.getByRole('row').allInnerTexts()).length).toBe(4);
        const rows = await top.getByRole('row').allInnerTexts();
        expect(rows[1]).toMatch(/^1\s+Amy\s+\d+\s+1\s+new/);
        expect(rows[2]).toMatch(/^2\s+Ben\s+\d+\s+1\s+new/);
        expect(rows[3]).toMatch(/^3\s+Cat\s+0\s+0\s+new/);
        await shows(amy.page, 'table', '前五名');
        await shot(projector, 'live-leaderboard');
        // The projector reloads: the key is remembered, and the game shows where it is.
        await projector.reload();
        await expect.poll(async () => (await top.getByRole('row').allInnerTexts()).length).toBe(4);
        await projector.getByRole('button', { name: 'Next question' }).click();
      } else {
        await projector.getByRole('button', { name: 'Show the final results' }).click();
      }
    }

    // The podium: Amy, Ben, Cat, in rank order for screen readers. No full ranking on the class's
    // screen: it is in the report (and on the teacher's remote).
    const podium = projector.getByRole('list', { name: 'Podium' });
    await expect
      .poll(async () => (await podium.getByRole('listitem').allInnerTexts()).length, { timeout: 10_000 })
      .toBe(3);
    const places = (await podium.getByRole('listitem').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    expect(places[0]).toMatch(/^1st Amy \d+ points$/);
    expect(places[1]).toMatch(/^2nd Ben \d+ points$/);
    expect(places[2]).toMatch(/^3rd Cat 0 points$/);
    expect(await projector.getByRole('table').count()).toBe(0);
    expect(await projector.getByRole('link', { name: 'Results and report' }).isVisible()).toBe(true);
    await shot(projector, 'live-podium');

    const finals = ['你获得第 1 名（共 3 人）。', '你获得第 2 名（共 3 人）。', '你获得第 3 名（共 3 人）。'];
    for (const [i, s] of students.entries()) {
      await shows(s.page, 'heading', '游戏结束！');
      await says(s.page, finals[i]!);
    }
    await shot(amy.page, 'live-student-final');
    expect(errors).toEqual([]);
    for (const s of students) await s.page.context().close();
    await projector.context().close();
  });
});

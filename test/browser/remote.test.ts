/**
 * The host remote in real Chromium: the teacher runs a live game from a phone (390×844, in
 * English) while the projector (1280×720) follows and two students play on theirs. The remote
 * removes a student, starts, reveals, shows the leaderboard, goes on and ends; the projector is
 * reloaded in every phase and comes back to it (a reveal with its question, answer and
 * explanation), a second projector opened during the reveal shows the same, and only the remote
 * gets the full ranking. Then a second game is closed through the API mid-question: the student's
 * phone says so and cannot answer. Every remote screen is scanned with axe-core (no serious or
 * critical violation) and photographed into test-results/screenshots.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerThroughUi, axe, baseUrl, joinLive, launch, says, shot, shows, teacherScreen } from './browser';
import type { CreatedSession, ServerMessage } from '../../worker/contract';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Scans and photographs a remote screen. */
async function check(remote: Page, name: string): Promise<void> {
  await shot(remote, name);
  expect(await axe(remote)).toEqual([]);
}

/** Creates a live session through the API (a quick session: its teacher key opens it). */
async function liveSession(title: string): Promise<CreatedSession> {
  const res = await fetch(`${baseUrl}/api/sessions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title, mode: 'live', count: 2, types: ['single'], timeLimitSec: 30 }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as CreatedSession;
}

describe('the host remote', () => {
  it(
    "runs a game from the teacher's phone while the projector follows, through reloads",
    { timeout: 180_000 },
    async () => {
      const session = await liveSession('Unity week, remote');
      const projector = (
        await teacherScreen(browser, `${baseUrl}/teach/${session.id}/live#key=${session.teacherKey}`, false)
      ).page;
      await says(projector, session.code, { exact: true });
      const { page: remote, frames: remoteFrames } = await teacherScreen(
        browser,
        `${baseUrl}/teach/${session.id}/remote#key=${session.teacherKey}`,
        true,
      );
      // The key leaves the address bar at once, and the remote sees the projector.
      await expect.poll(() => new URL(remote.url()).hash).toBe('');
      await says(remote, `Join code: ${session.code}`);
      await says(remote, 'Projector connected');

      const amy = await joinLive(browser, session.code, 'Amy', true);
      const ben = await joinLive(browser, session.code, 'Ben', false);
      const dan = await joinLive(browser, session.code, 'Dan', false);
      await shows(remote, 'heading', '3 students');

      // Removing asks first; then Dan's phone says so and everyone counts two.
      await remote.getByRole('button', { name: 'Remove Dan' }).click();
      await shows(remote, 'dialog', 'Remove Dan from the game?');
      await check(remote, 'remote-remove');
      await remote.getByRole('button', { name: 'Yes, remove' }).click();
      await shows(dan.page, 'heading', '你已被移出游戏');
      await shows(remote, 'heading', '2 students');
      await shows(projector, 'heading', '2 students');
      await dan.page.context().close();
      await check(remote, 'remote-lobby');

      // Lobby: a reload of the projector keeps it.
      await projector.reload();
      await says(projector, session.code, { exact: true });
      await shows(projector, 'heading', '2 students');

      // Question 1: started from the remote, on every screen.
      await remote.getByRole('button', { name: 'Start the game' }).click();
      await expect.poll(() => amy.questions.length + ben.questions.length, { timeout: 10_000 }).toBe(2);
      await says(projector, 'Question 1 / 2');
      await shows(remote, 'heading', 'Question 1 / 2');
      await says(remote, '0 / 2 answered');
      await shows(remote, 'progressbar', 'Time left');
      await check(remote, 'remote-question');
      await projector.reload();
      await says(projector, 'Question 1 / 2');
      await says(projector, '0 / 2 answered');

      // Amy answers; the remote counts it and reveals before Ben does.
      await answerThroughUi(amy.page, amy.questions[0]!, true, 'zh');
      await says(remote, '1 / 2 answered');
      await remote.getByRole('button', { name: 'Reveal the answer' }).click();
      await shows(remote, 'heading', 'Correct answer', 10_000);
      await says(remote, '1 right · 0 wrong · 1 no answer');
      await shows(projector, 'heading', 'How the class answered');
      await says(projector, 'Correct answer');
      await check(remote, 'remote-reveal');

      // A reload of the projector in the reveal shows the question with its answer and explanation.
      const reveal = remoteFrames.find((m) => m.type === 'reveal')!;
      if (reveal.type !== 'reveal') throw new Error('no reveal');
      // (Its first line, Chinese: with long choices the reveal leaves out the English line of the question.)
      const stem = amy.questions[0]!.stem.zh;
      await projector.reload();
      await shows(projector, 'heading', 'How the class answered');
      await says(projector, 'Correct answer');
      await says(projector, stem);
      await says(projector, reveal.explanation!.en);
      // A second projector (another device, same key) shows the same phase.
      const second = (
        await teacherScreen(browser, `${baseUrl}/teach/${session.id}/live#key=${session.teacherKey}`, false)
      ).page;
      await shows(second, 'heading', 'How the class answered');
      await says(second, reveal.explanation!.en);
      await says(remote, '2 projectors connected');
      await second.context().close();
      await says(remote, 'Projector connected');

      // The leaderboard, from the remote; the projector keeps it through a reload.
      await remote.getByRole('button', { name: 'Show the leaderboard' }).click();
      const top = (page: Page) => page.getByRole('table', { name: 'Top 5' }).getByRole('row');
      await expect.poll(async () => (await top(remote).allInnerTexts()).length).toBe(3);
      await expect.poll(async () => (await top(projector).allInnerTexts()).length).toBe(3);
      expect((await top(remote).allInnerTexts())[1]).toMatch(/^1\s+Amy/);
      await check(remote, 'remote-leaderboard');
      await projector.reload();
      await expect.poll(async () => (await top(projector).allInnerTexts()).length, { timeout: 10_000 }).toBe(3);

      // Question 2: both answer, which closes it; then the final results.
      await remote.getByRole('button', { name: 'Next question' }).click();
      await expect.poll(() => amy.questions.length + ben.questions.length, { timeout: 10_000 }).toBe(4);
      await shows(remote, 'heading', 'Question 2 / 2');
      await remote.getByRole('button', { name: 'Pause' }).click();
      await says(remote, /^Paused · \d+ seconds left$/);
      await says(projector, /^Paused · \d+ seconds left$/);
      await remote.getByRole('button', { name: 'Resume' }).click();
      await shows(remote, 'button', 'Pause');
      await answerThroughUi(amy.page, amy.questions[1]!, true, 'zh');
      await answerThroughUi(ben.page, ben.questions[1]!, false, 'zh');
      await shows(remote, 'heading', 'Correct answer', 10_000);
      await says(remote, '1 right · 1 wrong · 0 no answer');
      await remote.getByRole('button', { name: 'Show the final results' }).click();

      // The end: the remote ranks everyone; the projector shows the podium and never the full ranking.
      const ranking = remote.getByRole('table', { name: 'Final ranking' }).getByRole('row');
      await expect.poll(async () => (await ranking.allInnerTexts()).length, { timeout: 10_000 }).toBe(3);
      expect((await ranking.allInnerTexts()).slice(1).map((r) => r.split(/\s+/)[1])).toEqual(['Amy', 'Ben']);
      await shows(projector, 'list', 'Podium', 10_000);
      await check(remote, 'remote-final');
      const finalOf = (frames: ServerMessage[]) => frames.findLast((m) => m.type === 'final');
      expect(finalOf(remoteFrames)).toMatchObject({ ranking: [{ nickname: 'Amy' }, { nickname: 'Ben' }] });
      for (const p of [amy.page, ben.page, projector, remote]) await p.context().close();
    },
  );

  it('an ended game: the end asks first, the podium shows, and a reload of the projector or a phone shows it again', async () => {
    const session = await liveSession('Ended early');
    const projector = (
      await teacherScreen(browser, `${baseUrl}/teach/${session.id}/live#key=${session.teacherKey}`, false)
    ).page;
    const { page: remote } = await teacherScreen(
      browser,
      `${baseUrl}/teach/${session.id}/remote#key=${session.teacherKey}`,
      true,
    );
    const fay = await joinLive(browser, session.code, 'Fay', true);
    await shows(remote, 'heading', '1 student');
    await remote.getByRole('button', { name: 'Start the game' }).click();
    await shows(remote, 'heading', 'Question 1 / 2');
    await remote.getByRole('button', { name: 'End game' }).click();
    await shows(remote, 'dialog', 'End the game now?');
    await check(remote, 'remote-end');
    await remote.getByRole('button', { name: 'Yes, end the game' }).click();
    await shows(remote, 'table', 'Final ranking', 10_000);
    await shows(projector, 'list', 'Podium', 10_000);
    await shows(fay.page, 'heading', '游戏结束！');
    // A reload: the game's end closed the session, but a game that ended by itself lets its screens
    // back in, to the podium (a session the teacher closed does not: see the next test).
    await projector.reload();
    await shows(projector, 'list', 'Podium', 10_000);
    // (The way to the report is on the remote: the projector's strip hides while a remote is connected.)
    expect(await remote.getByRole('table', { name: 'Final ranking' }).isVisible()).toBe(true);
    await fay.page.reload();
    await shows(fay.page, 'heading', '游戏结束！', 10_000);
    for (const p of [fay.page, projector, remote]) await p.context().close();
  });

  it("a game closed mid-question: the student's phone says so and cannot answer", async () => {
    const session = await liveSession('Closed mid-question');
    const { page: remote } = await teacherScreen(
      browser,
      `${baseUrl}/teach/${session.id}/remote#key=${session.teacherKey}`,
      true,
    );
    // The session page on the device holding the key: the projector, and the remote with its key,
    // whose QR code shows only on request and with a warning.
    const page = await remote.context().newPage();
    await page.goto(`${baseUrl}/teach/${session.id}`);
    const remoteLink = page.getByRole('link', { name: 'Open the remote on your phone' });
    await expect.poll(() => remoteLink.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await remoteLink.getAttribute('href')).toBe(
      `${baseUrl}/teach/${session.id}/remote#key=${encodeURIComponent(session.teacherKey)}`,
    );
    expect(await page.getByRole('link', { name: 'Open the projector view' }).getAttribute('href')).toBe(
      `/teach/${session.id}/live`,
    );
    const qr = page.getByRole('img', { name: 'QR code of the remote link' });
    expect(await qr.isVisible()).toBe(false);
    await page.getByText('Show the remote’s QR code').click();
    await expect.poll(() => qr.isVisible()).toBe(true);
    await says(page, 'never show it to the class');
    await shot(page, 'remote-dashboard-links');
    await page.close();

    const cat = await joinLive(browser, session.code, 'Cat', true);
    const eve = await joinLive(browser, session.code, 'Eve', true);
    await shows(remote, 'heading', '2 students');
    await remote.getByRole('button', { name: 'Start the game' }).click();
    await expect.poll(() => cat.questions.length + eve.questions.length, { timeout: 10_000 }).toBe(2);
    await shows(cat.page, 'progressbar', '剩余时间');

    const closed = await fetch(`${baseUrl}/api/sessions/${session.id}/close`, {
      method: 'POST',
      // (From this origin, as the dashboard's button would: the API refuses a cross-site form post.)
      headers: { Authorization: `Bearer ${session.teacherKey}`, Origin: baseUrl },
    });
    expect(closed.status).toBe(200);
    // Eve reloads: her ticket is refused (410), so her phone says the game was closed, with no retry loop.
    await eve.page.reload();
    await says(eve.page, '老师关闭了这个游戏。', { timeout: 10_000 });
    await shows(eve.page, 'heading', '游戏已经结束');
    // Cat's phone is told by the room at once: the question goes, nothing can be answered.
    await says(cat.page, '老师关闭了这个游戏。', { timeout: 10_000 });
    await shows(cat.page, 'heading', '游戏已经结束');
    expect(await cat.page.getByRole('progressbar', { name: '剩余时间' }).count()).toBe(0);
    expect(await cat.page.getByRole('button', { name: /提交答案/ }).count()).toBe(0);
    await shot(cat.page, 'live-student-closed');
    // The remote stops too, with the way to the report.
    await shows(remote, 'link', 'Results and report', 10_000);
    await check(remote, 'remote-closed');
    for (const p of [cat.page, eve.page, remote]) await p.context().close();
  });
});

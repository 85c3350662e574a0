/**
 * A teacher opens a session in the browser, two students join on their own phones and answer
 * differently, and both the students' end screens and the teacher's view show the right leaderboard.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerThroughUi, baseUrl, expectNoSidewaysScroll, launch, nextState, phone, shot } from './browser';
import type { CreatedSession, PlayState, Review } from '../../worker/contract';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('a self-paced class session', () => {
  it('runs from the teacher opening it to both leaderboards', async () => {
    // The teacher, on a laptop, in English.
    const teacher = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await teacher.goto(`${baseUrl}/teach`);
    await teacher.getByRole('button', { name: 'Switch to English' }).click();
    await teacher.getByRole('textbox', { name: 'Title' }).fill('Unity week, lesson 1');
    await teacher.getByRole('combobox', { name: 'Number of questions' }).selectOption('5');
    await teacher.getByRole('combobox', { name: 'Time per question' }).selectOption('60');
    // Questions in both languages (the default is the teacher's, English here): the students read Chinese.
    await teacher.getByRole('combobox', { name: 'Question language' }).selectOption('both');
    const [created] = await Promise.all([
      teacher.waitForResponse((r) => new URL(r.url()).pathname === '/api/sessions' && r.request().method() === 'POST'),
      teacher.getByRole('button', { name: 'Create session' }).click(),
    ]);
    const session = (await created.json()) as CreatedSession;
    expect(session.questionCount).toBe(5);
    await expect.poll(() => teacher.getByRole('heading', { name: 'Session ready' }).isVisible()).toBe(true);
    await expect.poll(() => teacher.getByText(session.code, { exact: true }).first().isVisible()).toBe(true);
    await shot(teacher, 'teacher-session-ready');
    await teacher.getByRole('button', { name: 'Open the teacher view' }).click();
    await expect.poll(() => teacher.getByRole('button', { name: 'Close session' }).isVisible()).toBe(true);

    // Two students, each on a phone, in Chinese (the default). Amy answers right, Bo wrong.
    const students = { Amy: true, Bo: false } as const;
    const finals: Record<string, PlayState> = {};
    for (const [nickname, right] of Object.entries(students)) {
      const page = await phone(browser);
      await page.goto(`${baseUrl}/join/${session.code}`);
      expect(await page.getByRole('textbox', { name: '加入码' }).inputValue()).toBe(session.code);
      await page.getByRole('textbox', { name: '昵称' }).fill(nickname);
      if (nickname === 'Amy') await shot(page, 'student-join');
      let st = await nextState(page, () => page.getByRole('button', { name: '加入', exact: true }).click());
      for (let n = 0; st.current; n++) {
        if (nickname === 'Amy' && n === 0) await shot(page, 'student-question');
        await answerThroughUi(page, st.current.question, right, 'zh');
        // The ✓/✗ icon is hidden from screen readers; the word carries the verdict.
        const verdict = right ? '回答正确' : '回答错误';
        await expect.poll(() => page.getByRole('heading', { name: verdict }).isVisible()).toBe(true);
        await expect.poll(() => page.getByRole('heading', { name: '原文出处' }).isVisible()).toBe(true);
        if (n === 0) {
          await shot(page, `student-feedback-${nickname}`);
          expect(await expectNoSidewaysScroll(page)).toBe(true);
        }
        const next = n === session.questionCount - 1 ? '查看成绩' : '下一题';
        st = await nextState(page, () => page.getByRole('button', { name: next }).click());
      }
      finals[nickname] = st;
      expect(st.me.finished).toBe(true);
      await expect.poll(() => page.getByRole('heading', { name: '全部答完了！' }).isVisible()).toBe(true);
      if (nickname === 'Bo') {
        // Bo's end screen: the leaderboard with Amy first and Bo second, Bo's row marked.
        const table = page.getByRole('table', { name: '排行榜' });
        await expect.poll(async () => (await table.getByRole('row').allInnerTexts()).length).toBe(3);
        const rows = await table.getByRole('row').allInnerTexts();
        expect(rows[1]).toMatch(/^1\s+Amy\s+\d{4}/);
        expect(rows[2]).toMatch(/^2\s+Bo\s*（你）\s+0/);
        await shot(page, 'student-end-Bo');
        expect(await expectNoSidewaysScroll(page)).toBe(true);
      }
      await page.context().close();
    }
    expect(finals.Amy!.me.score).toBeGreaterThanOrEqual(2500);
    expect(finals.Bo!.me.score).toBe(0);

    // The teacher's view polls: it shows both students in the right order, and every answer.
    const board = teacher.getByRole('table', { name: 'Leaderboard' });
    await expect
      .poll(async () => (await board.getByRole('row').allInnerTexts()).join('\n'), { timeout: 10_000 })
      .toMatch(new RegExp(`1\\s+Amy\\s+${finals.Amy!.me.score}[\\s\\S]*2\\s+Bo\\s+0`));
    // The answer grid: a cell per question, named in words (the ✓/✗ marks are for the eye).
    const grid = teacher.getByRole('table', { name: 'Each student’s answer to each question' });
    const gridRow = (nickname: string) =>
      grid.getByRole('row').filter({ has: teacher.getByRole('rowheader', { name: nickname, exact: true }) });
    // The dashboard polls every 3 s: Bo's last answer may arrive one poll after the leaderboard above.
    const cells = (nickname: string, name: string) => () =>
      gridRow(nickname).getByRole('cell', { name, exact: true }).count();
    await expect.poll(cells('Amy', 'Right'), { timeout: 10_000 }).toBe(5);
    await expect.poll(cells('Bo', 'Wrong'), { timeout: 10_000 }).toBe(5);
    expect(await gridRow('Amy').innerText()).toContain('✓');
    expect(await gridRow('Bo').innerText()).toContain('✗');
    await shot(teacher, 'teacher-dashboard');
    // On a phone the grid scrolls inside its own box, not the page.
    await teacher.setViewportSize({ width: 360, height: 740 });
    expect(await expectNoSidewaysScroll(teacher)).toBe(true);
    await shot(teacher, 'teacher-dashboard-phone');
    await teacher.setViewportSize({ width: 1280, height: 900 });
    await teacher.getByRole('button', { name: 'Close session' }).click();
    await teacher.getByRole('button', { name: 'Yes, close it' }).click();
    await expect.poll(() => teacher.getByText('■ Closed').isVisible()).toBe(true);
    // The session opened without an account is still there on /teach, on this device, with its state.
    await teacher.goto(`${baseUrl}/teach`);
    const mine = teacher.getByRole('table', { name: 'Sessions opened on this device' });
    await expect.poll(async () => (await mine.innerText().catch(() => '')).includes('Unity week, lesson 1')).toBe(true);
    expect(await mine.innerText()).toContain('Closed');
    await teacher.context().close();
  });
});

describe('after the quiz, on a 360 px phone', () => {
  it('counts down to the next question (the student may stay), shows the review, then lets the student practise their mistakes, unscored, in Chinese and English', async () => {
    const res = await fetch(`${baseUrl}/api/sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        title: '复习课',
        count: 3,
        types: ['single'],
        lang: 'both',
        timeLimitSec: 0,
        autoAdvance: true,
      }),
    });
    const session = (await res.json()) as CreatedSession;
    const page = await phone(browser);
    await page.goto(`${baseUrl}/join/${session.code}`);
    await page.getByRole('textbox', { name: '昵称' }).fill('Cat');
    let st = await nextState(page, () => page.getByRole('button', { name: '加入', exact: true }).click());
    for (let n = 0; st.current; n++) {
      await answerThroughUi(page, st.current.question, false, 'zh');
      await expect.poll(() => page.getByRole('heading', { name: '回答错误' }).isVisible()).toBe(true);
      if (n === 0) {
        // Auto-advance counts down to the next question; the student may stay to read.
        await expect.poll(() => page.getByText(/秒后进入下一题。/).isVisible()).toBe(true);
        await page.getByRole('button', { name: '停在这里' }).click();
        expect(await page.getByText(/秒后进入下一题。/).count()).toBe(0);
      }
      st = await nextState(page, () => page.getByRole('button', { name: n === 2 ? '查看成绩' : '下一题' }).click());
    }
    // The review of every answer, at the end of a session with feedback after each question too.
    await expect.poll(() => page.getByRole('heading', { name: '你的作答' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('heading', { name: /第 \d 题 · 回答错误/ }).count()).toBe(3);
    // Practice waits for the session to close.
    expect(await page.getByRole('button', { name: /练习我的错题/ }).count()).toBe(0);
    await fetch(`${baseUrl}/api/sessions/${session.id}/close`, {
      method: 'POST',
      // From the app's own origin, as the dashboard sends it (hono's CSRF check).
      headers: { Authorization: `Bearer ${session.teacherKey}`, Origin: baseUrl },
    });
    await page.reload();
    const token = await page.evaluate<string>(`localStorage.getItem('pomegranate:token:${session.code}')`);
    const review = (await (
      await fetch(`${baseUrl}/api/play/review`, { headers: { Authorization: `Bearer ${token}` } })
    ).json()) as Review;
    await page.getByRole('button', { name: '练习我的错题（3）' }).click();
    for (const [i, item] of review.items.entries()) {
      await expect.poll(() => page.getByText(`练习 · 第 ${i + 1} 题，共 3 题 · 不计分`).isVisible()).toBe(true);
      await answerThroughUi(page, item.question, true, 'zh');
      await expect.poll(() => page.getByRole('heading', { name: '回答正确' }).isVisible()).toBe(true);
      expect(await page.getByText('练习：不计分。').isVisible()).toBe(true);
      if (i === 0) {
        await shot(page, 'student-practice-feedback');
        expect(await expectNoSidewaysScroll(page)).toBe(true);
      }
      await page.getByRole('button', { name: i === 2 ? '查看成绩' : '下一题' }).click();
    }
    await expect
      .poll(() => page.getByRole('heading', { name: '练习完成：这次答对 3 题，共 3 题。' }).isVisible())
      .toBe(true);
    // In English, the same screens; the score never moved.
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('button', { name: 'Back to my results' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Practise my mistakes (3)' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('Your score: 0').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Practise my mistakes (3)' }).click();
    await expect.poll(() => page.getByText('Practice · question 1 of 3 · not scored').isVisible()).toBe(true);
    await shot(page, 'student-practice-en');
    await page.context().close();
  });
});

/**
 * A live poll in real Chromium: the projector (in English) shows the votes per option with nobody
 * marked right, and the phones (in Chinese) say the choice was recorded, neither right nor wrong.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownPoll } from '../responses';
import { answerThroughUi, baseUrl, joinLive, launch, says, shot, shows, openProjector } from './browser';
import type { CreatedSession, Question } from '../../worker/contract';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** A signed-in teacher's live session of one poll of their own (through the HTTP API), and the poll as stored. */
async function livePoll(): Promise<{ session: CreatedSession; question: Question }> {
  let cookie = '';
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: baseUrl, Cookie: cookie },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    const set = res.headers.getSetCookie().map((c) => c.split(';')[0]);
    if (set.length) cookie = set.join('; ');
    return (await res.json()) as any;
  };
  await post('/api/auth/register', {
    email: `poll-${Date.now()}@school.example`,
    name: 'T',
    password: 'correct horse battery',
  });
  const made = await post('/api/questions', ownPoll);
  const quiz = await post('/api/quizzes', { title: 'Poll', questionIds: [made.id], settings: { timeLimitSec: 60 } });
  const session = await post('/api/sessions', { title: 'A poll', quizId: quiz.id, mode: 'live' });
  return { session, question: made.question };
}

describe('a live poll', () => {
  it('shows the votes per option on the projector, and "recorded" on the phones', async () => {
    const { session, question } = await livePoll();
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
    for (const s of students) {
      await shows(s.page, 'heading', '你的选择已记录');
      expect(await s.page.getByText('回答错误').count()).toBe(0);
    }
    await shot(projector, 'live-poll-reveal');
    await shot(students[0]!.page, 'live-student-poll');
    expect(errors).toEqual([]);
    for (const s of students) await s.page.context().close();
    await projector.context().close();
  });
});

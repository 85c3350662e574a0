/**
 * A poll: a teacher's own question whose options have no right answer. It is created like any
 * own question, served like a single choice, takes any of its options, earns nothing, is neither
 * right nor wrong, and its votes are counted per option for the projector and the report.
 */
import { describe, expect, it } from 'vitest';
import { ownOpen, ownPoll } from '../responses';
import {
  answer,
  call,
  expectError,
  join,
  keyFor,
  ownQuestion,
  rightResponse,
  state,
  teacher,
  teacherView,
} from './helpers';
import { LiveClient } from './live-client';
import type { CreatedSession, SessionReport } from '../../worker/contract';

/** A teacher with a poll and a single choice of their own, in a quiz in that order. */
async function pollQuiz(order: 'poll-first' | 'poll-between' = 'poll-first') {
  const t = await teacher();
  const made = await call('/api/questions', { cookie: t.cookie, body: ownPoll });
  expect(made.status, made.text).toBe(201);
  expect(made.json.question).toMatchObject({ type: 'poll', source: { own: true } });
  const single = await call('/api/questions', { cookie: t.cookie, body: ownQuestion });
  expect(single.status, single.text).toBe(201);
  const other = await call('/api/questions', {
    cookie: t.cookie,
    body: { ...ownQuestion, stem: { zh: '我们学校在哪个省区？', en: 'Which region is our school in?' } },
  });
  expect(other.status, other.text).toBe(201);
  const questionIds =
    order === 'poll-first' ? [made.json.id, single.json.id] : [single.json.id, made.json.id, other.json.id];
  const quiz = await call('/api/quizzes', { cookie: t.cookie, body: { title: 'Poll', questionIds, settings: {} } });
  expect(quiz.status, quiz.text).toBe(201);
  return { t, quizId: quiz.json.id as string, pollId: made.json.id as string };
}

async function sessionOf(cookie: string, quizId: string, extra: Record<string, unknown> = {}): Promise<CreatedSession> {
  const s = await call('/api/sessions', { cookie, body: { title: 'Poll', quizId, ...extra } });
  expect(s.status, s.text).toBe(201);
  return s.json;
}

describe('a poll', () => {
  it('is created as a teacher’s own question, and refused with an answer or with one option', async () => {
    const t = await teacher();
    expectError(
      await call('/api/questions', { cookie: t.cookie, body: { ...ownPoll, answer: 'a' } }),
      400,
      'invalid_question',
    );
    expectError(
      await call('/api/questions', { cookie: t.cookie, body: { ...ownPoll, options: ownPoll.options.slice(0, 1) } }),
      400,
      'invalid_question',
    );
    const made = await call('/api/questions', {
      cookie: t.cookie,
      body: { ...ownPoll, source: { quote: '我们的投票' } },
    });
    expect(made.status, made.text).toBe(201);
    expect(made.json.question.source).toEqual({ own: true, quote: '我们的投票' });
  });

  it('may go without an explanation, as may an open answer; a question with a right answer may not', async () => {
    const t = await teacher();
    const { explanation: _poll, ...bare } = ownPoll;
    const made = await call('/api/questions', { cookie: t.cookie, body: bare });
    expect(made.status, made.text).toBe(201);
    expect(made.json.question).not.toHaveProperty('explanation');
    const { explanation: _open, ...bareOpen } = ownOpen;
    expect((await call('/api/questions', { cookie: t.cookie, body: bareOpen })).status).toBe(201);
    const { explanation: _single, ...bareSingle } = ownQuestion;
    expectError(await call('/api/questions', { cookie: t.cookie, body: bareSingle }), 400, 'invalid_question');
    // Played: the vote is recorded, and the reveal has no explanation to show.
    const quiz = await call('/api/quizzes', {
      cookie: t.cookie,
      body: { title: 'Vote', questionIds: [made.json.id], settings: {} },
    });
    const s = await sessionOf(t.cookie, quiz.json.id, { timeLimitSec: 0 });
    const amy = await join(s.code, 'Amy');
    const q = await keyFor(s.id, (await state(amy.token)).current!.question);
    const res = await answer(amy.token, q.id, { optionId: 'options' in q ? q.options[0]!.id : '' });
    expect(res.status, res.text).toBe(200);
    expect(res.json.verdict!.reveal).toMatchObject({ answer: null });
    expect(res.json.verdict!.reveal).not.toHaveProperty('explanation');
  });

  it('self-paced: takes any option, earns nothing, is neither right nor wrong, and the report counts the votes', async () => {
    const { t, quizId, pollId } = await pollQuiz();
    const s = await sessionOf(t.cookie, quizId, { timeLimitSec: 0 });
    const amy = await join(s.code, 'Amy');
    const ben = await join(s.code, 'Ben');

    const served = (await state(amy.token)).current!.question;
    expect(served.type).toBe('poll');
    expect(served.options).toHaveLength(3);
    expect(JSON.stringify(served)).not.toContain('explanation');
    // An option the question does not have, or another type's response, is refused, not counted.
    expect((await answer(amy.token, served.id, { optionId: 'zz' })).status).toBe(400);
    expect((await answer(amy.token, served.id, { optionIds: [served.options![0]!.id] })).status).toBe(400);

    const votes = [amy, ben].map(async (st) => {
      const q = await keyFor(s.id, (await state(st.token)).current!.question);
      // Both vote for Hohhot, each in the ids they were served.
      const hohhot = 'options' in q ? q.options.find((o) => o.text.en === 'Hohhot')!.id : '';
      return answer(st.token, q.id, { optionId: hohhot });
    });
    for (const res of await Promise.all(votes)) {
      expect(res.status, res.text).toBe(200);
      expect(res.json.verdict).toMatchObject({ correct: false, points: 0, reveal: { answer: null } });
      expect(res.json.me).toMatchObject({ score: 0, answered: 1 });
    }

    // The single choice after it counts as usual.
    const next = await keyFor(s.id, (await state(amy.token)).current!.question);
    expect(next.type).toBe('single');
    const right = await answer(amy.token, next.id, rightResponse(next));
    expect(right.json.verdict).toMatchObject({ correct: true, points: 1000 });

    // The dashboard's grid marks the votes as votes, not as wrong answers.
    const view = await teacherView(s);
    const column = view.questions.findIndex((q) => q.id === pollId);
    expect(view.grid.rows.map((r) => r.cells[column])).toEqual(['voted', 'voted']);

    const report = await call(`/api/sessions/${s.id}/report`, { cookie: t.cookie });
    expect(report.status, report.text).toBe(200);
    const r = report.json as SessionReport;
    const row = r.questions.find((q) => q.id === pollId)!;
    expect(row).toMatchObject({ type: 'poll', answered: 2, correct: 0 });
    // One bar per option, none marked right; the votes counted per option.
    expect(row.distribution!.options.map((o) => [o.text.en, o.correct])).toEqual([
      ['Baotou', false],
      ['Hohhot', false],
      ['Chifeng', false],
    ]);
    const hohhot = row.distribution!.options.find((o) => o.text.en === 'Hohhot')!.id;
    expect(row.distribution!.counts[hohhot]).toBe(2);
    // Item analysis leaves the poll out: it has no facility, and is never "hardest".
    expect(row.stats).toMatchObject({ facility: null, flags: [] });
    expect(r.hardest).not.toContain(0);
    // The score bars run over the one question with a right answer: 0 right (Ben) and 1 right (Amy).
    expect(r.scoreDistribution.map((b) => b.count)).toEqual([1, 1]);
  });

  it("is left out of the class grid's percent right", async () => {
    const { t, quizId } = await pollQuiz();
    const cls = await call('/api/classes', { cookie: t.cookie, body: { name: '初二(1)班', roster: ['王芳'] } });
    expect(cls.status, cls.text).toBe(201);
    const s = await sessionOf(t.cookie, quizId, { timeLimitSec: 0, classId: cls.json.id, allowGuests: true });
    const amy = await join(s.code, 'Amy');
    for (let k = 0; k < 2; k++) {
      const q = await keyFor(s.id, (await state(amy.token)).current!.question);
      const vote = q.type === 'poll' && 'options' in q ? { optionId: q.options[0]!.id } : rightResponse(q);
      expect((await answer(amy.token, q.id, vote)).status).toBe(200);
    }
    const grid = await call(`/api/classes/${cls.json.id}/grid.csv`, { cookie: t.cookie });
    expect(grid.status, grid.text).toBe(200);
    // Amy got the one question with a right answer: 100 %, not 50.
    expect(grid.text.trim().split(/\r?\n/).at(-1)).toBe(',Amy,100');
  });

  it('live: the reveal counts the votes with nobody right or wrong, and the streak goes on over it', async () => {
    const { t, quizId } = await pollQuiz('poll-between');
    const s = await sessionOf(t.cookie, quizId, { mode: 'live', timeLimitSec: 30 });
    const host = await LiveClient.host(s);
    await host.next('welcome');
    const joined = await Promise.all(['Amy', 'Ben'].map((n) => join(s.code, n)));
    const [amy, ben] = await Promise.all(joined.map((j) => LiveClient.player(j.token)));
    for (const c of [amy!, ben!]) await c.next('welcome');
    await host.next('player');
    await host.next('player');
    host.send({ type: 'start' });

    const results = [];
    for (let position = 0; position < 3; position++) {
      const q = await host.next('question');
      const k = await keyFor(s.id, q.question);
      for (const c of [amy!, ben!]) await c.next('question');
      const vote = k.type === 'poll' ? k.options.find((o) => o.text.en === 'Chifeng')!.id : null;
      for (const c of [amy!, ben!]) {
        c.send({ type: 'answer', questionId: k.id, response: vote ? { optionId: vote } : rightResponse(k) });
        await c.next('ack');
      }
      const reveal = await host.next('reveal');
      if (k.type === 'poll') {
        expect(reveal.answer).toBeNull();
        expect(reveal.distribution).toMatchObject({ players: 2, answered: 2, correct: 0, wrong: 0, noAnswer: 0 });
        expect(reveal.distribution.options![vote!]).toBe(2);
        expect(Object.values(reveal.distribution.options!).sort()).toEqual([0, 0, 2]);
      }
      for (const c of [amy!, ben!]) await c.next('reveal');
      results.push(await amy!.next('result'));
      await ben!.next('result');
      if (position < 2) {
        host.send({ type: 'next' });
        await host.next('leaderboard');
        host.send({ type: 'next' });
      }
    }
    const [first, onPoll, third] = results;
    expect(first).toMatchObject({ correct: true, streak: 1, bonus: 0 });
    expect(onPoll).toMatchObject({
      answered: true,
      correct: false,
      points: 0,
      bonus: 0,
      streak: 1,
      score: first!.score,
    });
    // Right again after the poll: the streak reached 2 and earns its bonus.
    expect(third).toMatchObject({ correct: true, streak: 2, bonus: 100 });
  });
});

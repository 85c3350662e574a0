import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  age,
  answer,
  bankIdAt,
  call,
  expectError,
  join,
  keyFor,
  leaderboard,
  openSession,
  rightResponse,
  settle,
  state,
  storedQuestion,
  teacherView,
  wrongResponse,
} from './helpers';
import type { BankSource, GradedQuestion, PlayState, StudentQuestion } from '../../worker/contract';

/** Every student-facing body before answering must be free of the answer and its proof. */
async function expectNoAnswerIn(body: unknown, sessionId: string, served: StudentQuestion) {
  const q = await keyFor(sessionId, served);
  const text = JSON.stringify(body);
  for (const field of ['"answer"', '"key"', '"explanation"', '"source"', '"tolerance"', '"correct"'])
    expect(text).not.toContain(field);
  expect(text).not.toContain(q.explanation!.zh);
  if (q.type === 'text') for (const a of q.answer) expect(text).not.toContain(a);
  // As a number of its own: the 3 000 of a numeric answer may well sit inside a timer's 30000.
  if (q.type === 'numeric')
    expect(text).not.toMatch(new RegExp(`(?<![0-9.])${String(q.answer).replace('.', '\\.')}(?![0-9])`));
}

describe('playing a self-paced session', () => {
  it('serves one question at a time without its answer, and scores a right answer on the server', async () => {
    const s = await openSession({ count: 3, timeLimitSec: 30 });
    const joined = await join(s.code, 'Amy');
    const first = await state(joined.token);
    expect(first.session.code).toBe(s.code);
    expect(first.me).toEqual({ nickname: 'Amy', score: 0, answered: 0, finished: false });
    expect(first.current!.position).toBe(0);
    expect(first.current!.limitMs).toBe(30_000);
    expect(first.current!.remainingMs).toBeGreaterThan(29_000);
    await expectNoAnswerIn(joined, s.id, first.current!.question);
    await expectNoAnswerIn(first, s.id, first.current!.question);

    // Re-reading the question does not restart its clock.
    await age(joined.token, 10_000);
    const again = await state(joined.token);
    expect(again.current!.question).toEqual(first.current!.question);
    expect(again.current!.remainingMs).toBeLessThanOrEqual(20_000);

    const q = await keyFor(s.id, first.current!.question);
    const res = await answer(joined.token, q.id, rightResponse(q));
    expect(res.status, res.text).toBe(200);
    const verdict = res.json.verdict!;
    expect(verdict.correct).toBe(true);
    expect(verdict.late).toBe(false);
    expect(res.json.repeated).toBe(false);
    // t ≈ 10 s of T = 30 s: round(1000 × (1 − 10/60)) = 833, a little less for the time the test took.
    expect(verdict.points).toBeLessThanOrEqual(833);
    expect(verdict.points).toBeGreaterThan(800);
    expect(verdict.timeMs).toBeGreaterThanOrEqual(10_000);
    // The session draws from the bank, whose quotes come with their English translation.
    const { quote, quoteEn } = q.source as BankSource;
    expect(quoteEn).toBeTruthy();
    expect(verdict.reveal).toEqual({
      answer: (q as GradedQuestion).answer,
      ...(q.type === 'numeric' ? { tolerance: q.tolerance } : {}),
      explanation: q.explanation,
      source: { quote, quoteEn, heading: expect.any(String) },
    });
    expect(res.json.me).toEqual({ nickname: 'Amy', score: verdict.points, answered: 1, finished: false });

    const next = await state(joined.token);
    expect(next.current!.position).toBe(1);
    expect(next.current!.question.id).not.toBe(q.id);
  });

  it('scores a wrong answer 0, a late right answer 0, and no answer (time ran out) 0', async () => {
    const s = await openSession({ count: 3, timeLimitSec: 10 });
    const { token } = await join(s.code, 'Bo');
    let st = await state(token);
    const q1 = await keyFor(s.id, st.current!.question);
    const wrong = await answer(token, q1.id, wrongResponse(q1));
    expect(wrong.json.verdict).toMatchObject({ correct: false, points: 0, late: false });

    st = await state(token);
    const q2 = await keyFor(s.id, st.current!.question);
    await age(token, 10_001);
    const late = await answer(token, q2.id, rightResponse(q2));
    expect(late.json.verdict).toMatchObject({ correct: true, points: 0, late: true });

    st = await state(token);
    expect(st.current!.remainingMs).toBeGreaterThan(0);
    const q3 = st.current!.question.id;
    await age(token, 12_000);
    expect((await state(token)).current!.remainingMs).toBe(0);
    const timedOut = await answer(token, q3, null);
    expect(timedOut.json.verdict).toMatchObject({ correct: false, points: 0, late: true });
    expect(timedOut.json.me).toEqual({ nickname: 'Bo', score: 0, answered: 3, finished: true });

    const done = await state(token);
    expect(done.current).toBeNull();
    expect(done.me.finished).toBe(true);
  });

  it('gives close to the minimum of 500 points to a right answer near the limit', async () => {
    const s = await openSession({ count: 1, timeLimitSec: 10 });
    const { token } = await join(s.code, 'Cy');
    const q = await keyFor(s.id, (await state(token)).current!.question);
    await age(token, 9_000);
    const res = await answer(token, q.id, rightResponse(q));
    // round(1000 × (1 − 9/20)) = 550; the test's own time (under a second even on a loaded machine)
    // can only lower it, never below 500 while in time. The exact boundary is unit-tested.
    expect(res.json.verdict!.late).toBe(false);
    expect(res.json.verdict!.points).toBeGreaterThanOrEqual(500);
    expect(res.json.verdict!.points).toBeLessThanOrEqual(550);
  });

  it('returns the first result unchanged to a repeated answer and never scores twice', async () => {
    const s = await openSession({ count: 2 });
    const { token } = await join(s.code, 'Dee');
    const q = await keyFor(s.id, (await state(token)).current!.question);
    const first = await answer(token, q.id, rightResponse(q));
    await age(token, 5_000);
    const again = await answer(token, q.id, wrongResponse(q));
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ ...first.json, repeated: true });
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM answers WHERE session_id = ?')
      .bind(s.id)
      .first<{ n: number }>();
    expect(rows!.n).toBe(1);
    expect((await state(token)).me.score).toBe(first.json.verdict!.points);
  });

  it('scores concurrent duplicate submissions once', async () => {
    const s = await openSession({ count: 2 });
    const { token } = await join(s.code, 'Eve');
    const q = await keyFor(s.id, (await state(token)).current!.question);
    const results = await Promise.all(Array.from({ length: 5 }, () => answer(token, q.id, rightResponse(q))));
    expect(results.every((r) => r.status === 200 && r.json.verdict!.correct)).toBe(true);
    expect(new Set(results.map((r) => r.json.verdict!.points)).size).toBe(1);
    const st = await state(token);
    expect(st.me.answered).toBe(1);
    expect(st.me.score).toBe(results[0]!.json.verdict!.points);
  });

  it('refuses answers ahead of the current question, malformed answers and unknown tokens', async () => {
    const s = await openSession({ count: 3 });
    const { token } = await join(s.code, 'Fay');
    // Answering a question before it was ever served (its clock never started) is refused.
    expectError(await answer(token, await bankIdAt(s.id, 0), null), 409, 'not_served');
    const st = await state(token);
    const q = await keyFor(s.id, st.current!.question);
    // Questions go by the ids the session shows: the bank's, even the current one's, name none of them.
    expectError(await answer(token, await bankIdAt(s.id, 2), null), 409, 'not_current_question');
    expectError(await answer(token, await bankIdAt(s.id, 0), null), 409, 'not_current_question');
    expect(q.id).not.toBe(await bankIdAt(s.id, 0));
    expectError(await answer(token, q.id, { nonsense: true }), 400, 'invalid_answer');
    expectError(await answer(token, q.id, 'A'), 400, 'invalid_answer');
    // Deeply nested JSON under the body limit is refused where it arrives, before the room sees it.
    const deep = `{"questionId":${JSON.stringify(q.id)},"response":${'['.repeat(3000)}${']'.repeat(3000)}}`;
    expectError(await call('/api/play/answers', { token, raw: deep }), 400, 'invalid_answer');
    const deepObject = `{"questionId":${JSON.stringify(q.id)},"response":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`;
    expectError(await call('/api/play/answers', { token, raw: deepObject }), 400, 'invalid_answer');
    expectError(await call('/api/play/answers', { token, body: { questionId: q.id } }), 400, 'invalid_json');
    expectError(await call('/api/play/answers', { token, raw: '{' }), 400, 'malformed_body');
    expectError(await call('/api/play', { token: 'not-a-real-token-at-all' }), 401, 'unauthorized');
    expectError(await call('/api/play'), 401, 'unauthorized');
    expectError(await call('/api/play/leaderboard', { token: 'not-a-real-token-at-all' }), 401, 'unauthorized');
    // Nothing was scored by any of that.
    expect((await state(token)).me).toEqual({ nickname: 'Fay', score: 0, answered: 0, finished: false });
  });

  it('refuses answers once the teacher closes the session (410) but still shows the leaderboard', async () => {
    const s = await openSession({ count: 2 });
    const { token } = await join(s.code, 'Gus');
    const q = await keyFor(s.id, (await state(token)).current!.question);
    await call(`/api/sessions/${s.id}/close`, { method: 'POST', token: s.teacherKey });
    expectError(await answer(token, q.id, rightResponse(q)), 410, 'session_closed');
    const st: PlayState = await state(token);
    expect(st.session.status).toBe('closed');
    expect(st.current).toBeNull();
    expect((await leaderboard(token)).me!.nickname).toBe('Gus');
  });

  it('expires tokens', async () => {
    const s = await openSession({ count: 1 });
    const { token } = await join(s.code, 'Hal');
    await settle(s.id);
    await env.DB.prepare('UPDATE participants SET expires_at = ?')
      .bind(Date.now() - 1)
      .run();
    expectError(await call('/api/play', { token }), 401, 'token_expired');
  });
});

describe('the leaderboard', () => {
  it('orders by score, breaks ties by the earlier finish, and marks the asker', async () => {
    // Untimed, so a right answer scores the same whatever its speed: Ben and Cat tie on points.
    const s = await openSession({ count: 1, timeLimitSec: 0 });
    const a = await join(s.code, 'Ann');
    const b = await join(s.code, 'Ben');
    const c = await join(s.code, 'Cat');
    const d = await join(s.code, 'Dan');
    const qid = (await state(a.token)).current!.question.id;
    for (const p of [b, c, d]) await state(p.token);
    const q = await keyFor(s.id, (await state(a.token)).current!.question);
    // Ben and Cat both right, Ben first; Ann wrong; Dan never answers.
    await answer(b.token, qid, rightResponse(q));
    await new Promise((r) => setTimeout(r, 5));
    const catRes = await answer(c.token, qid, rightResponse(q));
    await answer(a.token, qid, wrongResponse(q));
    expect(catRes.json.verdict!.correct).toBe(true);

    const board = await leaderboard(c.token);
    expect(board.entries.map((e) => [e.rank, e.nickname])).toEqual([
      [1, 'Ben'],
      [2, 'Cat'],
      [3, 'Ann'],
      [4, 'Dan'],
    ]);
    expect(board.entries[0]!.score).toBe(board.entries[1]!.score);
    expect(board.me).toMatchObject({ rank: 2, nickname: 'Cat', finished: true });
    expect(board.entries[3]).toMatchObject({ nickname: 'Dan', score: 0, answered: 0, finished: false });
    expect(JSON.stringify(board)).not.toMatch(/token|hash|"id"/);

    const view = await teacherView(s);
    expect(view.leaderboard).toEqual(board.entries);
    // The teacher's view goes by bank ids.
    expect(view.questions[0]).toMatchObject({ id: await bankIdAt(s.id), answered: 3, correct: 2 });
    expect(view.recent.map((r) => r.nickname)).toEqual(['Ann', 'Cat', 'Ben']);
  });
});

describe('answers shown when the session closes', () => {
  it('is the default for homework with a closing time, and not for a session closed by hand', async () => {
    expect((await openSession({ closesAt: Date.now() + 3600_000 })).feedback).toBe('closed');
    expect((await openSession({ closesAt: Date.now() + 3600_000, feedback: 'now' })).feedback).toBe('now');
    expect((await openSession()).feedback).toBe('now');
    expect((await openSession({ mode: 'live', closesAt: Date.now() + 3600_000 })).feedback).toBe('now');
  });

  it('a second nickname that answers nothing learns no answer, score or verdict while the session is open', async () => {
    const s = await openSession({ count: 4, closesAt: Date.now() + 3600_000 });
    const spy = await join(s.code, 'Spy');
    const seen: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const st = await state(spy.token);
      seen.push(st);
      const res = await answer(spy.token, st.current!.question.id, null);
      expect(res.status, res.text).toBe(200);
      expect(res.json.verdict).toBeNull();
      expect(res.json.me.score).toBeNull();
      seen.push(res.json);
    }
    const end = await state(spy.token);
    expect(end.me).toMatchObject({ finished: true, score: null });
    expectError(await call('/api/play/review', { token: spy.token }), 409, 'answers_after_close');
    expect(await leaderboard(spy.token)).toEqual({ hidden: true, entries: [] });
    const text = JSON.stringify(seen);
    for (const field of ['"reveal"', '"correct"', '"points"', '"answer"', '"explanation"', '"source"'])
      expect(text).not.toContain(field);

    // Closed by the teacher: now the review shows every answer with its proof.
    await call(`/api/sessions/${s.id}/close`, { method: 'POST', token: s.teacherKey });
    const review = await call('/api/play/review', { token: spy.token });
    expect(review.status, review.text).toBe(200);
    expect(review.json.items).toHaveLength(4);
    expect(review.json.items.every((i: { verdict: { reveal: unknown } }) => i.verdict.reveal)).toBe(true);
    expect((await state(spy.token)).me.score).toBe(0);
  });
});

describe('practising mistakes once the session has closed', () => {
  it('judges a try with the proof, stores and scores nothing, as often as the student likes', async () => {
    const s = await openSession({ count: 2, types: ['single'] });
    const { token } = await join(s.code, 'Amy');
    const served = (await state(token)).current!.question;
    const q = await keyFor(s.id, served);
    expect((await answer(token, q.id, wrongResponse(q))).json.verdict!.correct).toBe(false);
    const practise = (response: unknown, questionId = q.id) =>
      call('/api/play/practice', { token, body: { questionId, response } });
    expectError(await practise(rightResponse(q)), 409, 'practice_after_close');

    await call(`/api/sessions/${s.id}/close`, { method: 'POST', token: s.teacherKey });
    const before = await state(token);
    for (let i = 0; i < 2; i++) {
      const right = await practise(rightResponse(q));
      expect(right.status, right.text).toBe(200);
      expect(right.json).toMatchObject({ correct: true, reveal: { answer: expect.anything() } });
    }
    expect((await practise(wrongResponse(q))).json.correct).toBe(false);
    // A bank id, or deep JSON, is no question or answer of this session.
    expectError(await practise(rightResponse(await storedQuestion(await bankIdAt(s.id)))), 400, 'invalid_answer');
    expectError(await practise({ optionId: 'x' }, 'int-001'), 400, 'invalid_answer');
    expectError(
      await call('/api/play/practice', {
        token,
        raw: `{"questionId":${JSON.stringify(q.id)},"response":${'['.repeat(3000)}${']'.repeat(3000)}}`,
      }),
      400,
      'invalid_answer',
    );
    // Nothing changed: the score, and what the teacher's report holds.
    expect((await state(token)).me).toEqual(before.me);
    const report = (await call(`/api/sessions/${s.id}/report`, { token: s.teacherKey })).json;
    expect(report.students[0].answers).toHaveLength(1);
    expect(report.students[0].answers[0].correct).toBe(false);
  });
});

describe('auto-advance', () => {
  it('is a session setting the student’s screen reads, off unless the teacher turns it on', async () => {
    const on = await openSession({ count: 1, autoAdvance: true });
    expect(on.autoAdvance).toBe(true);
    expect((await state((await join(on.code, 'Amy')).token)).session.autoAdvance).toBe(true);
    expect((await openSession({ count: 1 })).autoAdvance).toBe(false);
    expectError(
      await call('/api/sessions', { body: { title: 'T', count: 1, autoAdvance: 'yes' } }),
      400,
      'invalid_json',
    );
  });
});

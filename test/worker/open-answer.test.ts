/**
 * An open answer (word cloud): a teacher's own question each student answers with a few words. It
 * earns nothing and is neither right nor wrong; the teacher's screens get the cloud as answers
 * arrive (students never see other students' answers), the teacher hides an answer from it, and the
 * hidden answer stays hidden in D1 and in the report.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ownOpen } from '../responses';
import { answer, call, expectError, join, keyFor, ownQuestion, state, teacher } from './helpers';
import { LiveClient } from './live-client';
import { wordsOf } from '../../worker/questions/words';
import type { CloudMessage, CreatedSession, SessionReport } from '../../worker/contract';

/** A teacher with an open question and a single choice of their own, in a quiz in that order. */
async function openQuiz() {
  const t = await teacher();
  const made = await call('/api/questions', { cookie: t.cookie, body: ownOpen });
  expect(made.status, made.text).toBe(201);
  expect(made.json.question).toMatchObject({ type: 'open', source: { own: true } });
  const single = await call('/api/questions', { cookie: t.cookie, body: ownQuestion });
  expect(single.status, single.text).toBe(201);
  const quiz = await call('/api/quizzes', {
    cookie: t.cookie,
    body: { title: 'Cloud', questionIds: [made.json.id, single.json.id], settings: {} },
  });
  expect(quiz.status, quiz.text).toBe(201);
  return { t, quizId: quiz.json.id as string, openId: made.json.id as string };
}

async function sessionOf(cookie: string, quizId: string, extra: Record<string, unknown> = {}): Promise<CreatedSession> {
  const s = await call('/api/sessions', { cookie, body: { title: 'Cloud', quizId, ...extra } });
  expect(s.status, s.text).toBe(201);
  return s.json;
}

/** The open question's answers in D1, by participant. */
async function storedAnswers(sessionId: string, questionId: string) {
  const { results } = await env.DB.prepare(
    'SELECT participant_id AS p, response AS r, hidden AS h, points FROM answers WHERE session_id = ? AND question_id = ?',
  )
    .bind(sessionId, questionId)
    .all<{ p: string; r: string; h: number; points: number }>();
  return results;
}

const countOf = (cloud: CloudMessage, word: string) => cloud.words.find((w) => w.word === word)?.count ?? 0;

describe('an open answer', () => {
  it('workerd splits Chinese into words (Intl.Segmenter with its dictionary)', () => {
    expect(wordsOf('民族团结进步')).toEqual(['民族', '团结', '进步']);
    expect(wordsOf('我们的 Unity')).toEqual(['unity']);
  });

  it('is a teacher’s own question without options or answer, and no contest takes it', async () => {
    const t = await teacher();
    for (const extra of [{ answer: ['团结'] }, { options: ownQuestion.options }])
      expectError(
        await call('/api/questions', { cookie: t.cookie, body: { ...ownOpen, ...extra } }),
        400,
        'invalid_question',
      );
    const { t: owner, quizId } = await openQuiz();
    expectError(
      await call('/api/sessions', {
        cookie: owner.cookie,
        body: { title: 'Contest', quizId, mode: 'live', contestPlayers: 1200 },
      }),
      400,
      'open_in_contest',
    );
  });

  it('self-paced: a trimmed text of 1 to 80 characters, no points, no verdict; the report’s cloud hides what the teacher hides', async () => {
    const { t, quizId, openId } = await openQuiz();
    const s = await sessionOf(t.cookie, quizId, { timeLimitSec: 0 });
    const amy = await join(s.code, 'Amy');
    const ben = await join(s.code, 'Ben');
    const served = (await state(amy.token)).current!.question;
    expect(served.type).toBe('open');
    expect(served.options).toBeUndefined();
    for (const bad of [{ text: '   ' }, { text: '团'.repeat(81) }, { optionId: 'a' }])
      expect((await answer(amy.token, served.id, bad)).status).toBe(400);

    const a = await answer(amy.token, served.id, { text: '  民族团结  ' });
    expect(a.status, a.text).toBe(200);
    expect(a.json.verdict).toMatchObject({ correct: false, points: 0, reveal: { answer: null } });
    const b = await answer(ben.token, (await state(ben.token)).current!.question.id, { text: 'rubbish 团结' });
    expect(b.status, b.text).toBe(200);

    const report = async () => {
      const res = await call(`/api/sessions/${s.id}/report`, { cookie: t.cookie });
      expect(res.status, res.text).toBe(200);
      return (res.json as SessionReport).questions.find((q) => q.id === openId)!;
    };
    const before = await report();
    expect(before).toMatchObject({ type: 'open', answered: 2, correct: 0 });
    expect(before.stats.facility).toBeNull();
    expect(before.cloud!.answers.map((x) => [x.nickname, x.text, x.hidden]).sort()).toEqual([
      ['Amy', '民族团结', false],
      ['Ben', 'rubbish 团结', false],
    ]);
    expect(before.cloud!.words).toContainEqual({ word: '团结', count: 2 });

    const benId = before.cloud!.answers.find((x) => x.nickname === 'Ben')!.participantId;
    const hide = await call(`/api/sessions/${s.id}/report/hidden`, {
      method: 'PUT',
      cookie: t.cookie,
      body: { questionId: openId, participantId: benId, hidden: true },
    });
    expect(hide.status, hide.text).toBe(200);
    const after = await report();
    expect(after.cloud!.words).toContainEqual({ word: '团结', count: 1 });
    expect(after.cloud!.words.map((w) => w.word)).not.toContain('rubbish');
    expect(after.cloud!.answers.find((x) => x.nickname === 'Ben')!.hidden).toBe(true);
    // A question that is not an open one has no answer to hide.
    const single = await keyFor(s.id, (await state(amy.token)).current!.question);
    expectError(
      await call(`/api/sessions/${s.id}/report/hidden`, {
        method: 'PUT',
        cookie: t.cookie,
        body: { questionId: single.id, participantId: benId, hidden: true },
      }),
      404,
      'answer_not_found',
    );
  });

  it('live: the projector’s cloud grows as answers arrive, a hidden answer leaves it and stays hidden in D1 and the report', async () => {
    const { t, quizId, openId } = await openQuiz();
    const s = await sessionOf(t.cookie, quizId, { mode: 'live', timeLimitSec: 60 });
    const host = await LiveClient.host(s, 'projector');
    await host.next('welcome');
    const joined = await Promise.all(['Amy', 'Ben', 'Cy'].map((n) => join(s.code, n)));
    const players = await Promise.all(joined.map((j) => LiveClient.player(j.token)));
    const [amy, ben, cy] = players as [LiveClient, LiveClient, LiveClient];
    for (const c of players) await c.next('welcome');
    for (let i = 0; i < 3; i++) await host.next('player');
    host.send({ type: 'start' });

    const q = await host.next('question');
    expect(q.question.type).toBe('open');
    for (const c of players) await c.next('question');
    const questionId = q.question.id;
    // The next cloud that passes `check` (the room sends one with each answer count, throttled).
    const cloudWhere = async (check: (c: CloudMessage) => boolean) => {
      for (;;) {
        const c = await host.next('cloud');
        if (check(c)) return c;
      }
    };

    amy.send({ type: 'answer', questionId, response: { text: ' 民族团结 ' } });
    expect(await amy.next('ack')).toEqual({ type: 'ack', questionId, repeated: false });
    // A retry (the phone did not see the ack) is acknowledged again and changes nothing.
    amy.send({ type: 'answer', questionId, response: { text: '民族团结' } });
    expect(await amy.next('ack')).toEqual({ type: 'ack', questionId, repeated: true });
    let seen = await cloudWhere((c) => c.answered === 1);
    expect(seen.words).toEqual([
      { word: '团结', count: 1 },
      { word: '民族', count: 1 },
    ]);

    cy.send({ type: 'answer', questionId, response: { text: 'rubbish 团结' } });
    await cy.next('ack');
    seen = await cloudWhere((c) => c.answered === 2);
    expect(countOf(seen, '团结')).toBe(2);
    expect(countOf(seen, 'rubbish')).toBe(1);
    expect(seen.answers[0]).toMatchObject({ nickname: 'Cy', text: 'rubbish 团结', hidden: false });

    // The teacher hides Cy's answer: the cloud is counted again without it.
    const cyId = seen.answers[0]!.participantId;
    const amyId = seen.answers[1]!.participantId;
    host.send({ type: 'hide', questionId, participantId: cyId, hidden: true });
    seen = await cloudWhere((c) => c.hidden === 1);
    expect(countOf(seen, 'rubbish')).toBe(0);
    expect(countOf(seen, '团结')).toBe(1);
    expect(seen.answers.find((a) => a.participantId === cyId)!.hidden).toBe(true);
    // Hiding what is not an open answer is refused.
    host.send({ type: 'hide', questionId, participantId: 'nobody-at-all', hidden: true });
    expect((await host.next('error')).code).toBe('not_now');

    // The last answer closes the question; the reveal comes with the whole cloud.
    ben.send({ type: 'answer', questionId, response: { text: 'Unity and progress' } });
    await ben.next('ack');
    const reveal = await host.next('reveal');
    expect(reveal.answer).toBeNull();
    expect(reveal.distribution).toMatchObject({ players: 3, answered: 3, correct: 0, wrong: 0, noAnswer: 0 });
    seen = await host.next('cloud');
    expect(seen).toMatchObject({ answered: 3, hidden: 1 });
    expect(countOf(seen, 'unity')).toBe(1);
    expect(countOf(seen, 'progress')).toBe(1);
    for (const c of players) {
      const result = await c.next('result');
      expect(result).toMatchObject({ answered: true, correct: false, points: 0, score: 0 });
    }
    // Students never get the cloud, nor anyone's answer but their own.
    for (const c of players) {
      const got = c.drain();
      expect(got.map((m) => m.type)).not.toContain('cloud');
      expect(JSON.stringify(got)).not.toContain('rubbish');
    }

    // After the reveal (the answers scored and on their way to D1), the teacher hides Ben's too.
    const benId = seen.answers[0]!.participantId;
    host.send({ type: 'hide', questionId, participantId: benId, hidden: true });
    await cloudWhere((c) => c.hidden === 2);
    host.send({ type: 'end' });
    await host.next('final');

    // D1 has each text once (the retry changed nothing), trimmed, 0 points, the hidden ones marked.
    const readBack = async () => {
      const rows = await storedAnswers(s.id, openId);
      return rows.map((r) => [r.p, JSON.parse(r.r).text, r.h, r.points]).sort();
    };
    let rows = await readBack();
    for (let i = 0; i < 40 && rows.filter((r) => r[2] === 1).length < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      rows = await readBack();
    }
    expect(rows).toEqual(
      [
        [amyId, '民族团结', 0, 0],
        [benId, 'Unity and progress', 1, 0],
        [cyId, 'rubbish 团结', 1, 0],
      ].sort(),
    );

    const res = await call(`/api/sessions/${s.id}/report`, { cookie: t.cookie });
    const row = (res.json as SessionReport).questions.find((x) => x.id === openId)!;
    expect(row.cloud!.words).toEqual([
      { word: '团结', count: 1 },
      { word: '民族', count: 1 },
    ]);
    expect(
      row
        .cloud!.answers.filter((a) => a.hidden)
        .map((a) => a.nickname)
        .sort(),
    ).toEqual(['Ben', 'Cy']);
  });
});

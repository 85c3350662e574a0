import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  age,
  answer,
  call,
  expectError,
  join,
  keyFor,
  leaderboard,
  rightResponse,
  settle,
  state,
  storedQuestion,
  teacher,
  wrongResponse,
} from './helpers';
import type { AnswerCell, Review, TeacherView } from '../../worker/contract';

/** A signed-in teacher's session from a quiz of the given bank questions and settings. */
async function sessionFrom(
  questionIds: string[],
  settings: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  const t = await teacher();
  const quiz = (await call('/api/quizzes', { cookie: t.cookie, body: { title: 'Quiz', questionIds, settings } })).json;
  const s = await call('/api/sessions', { cookie: t.cookie, body: { title: 'Session', quizId: quiz.id, ...extra } });
  expect(s.status, s.text).toBe(201);
  return { t, s: s.json };
}
const ids = ['int-001', 'int-002', 'dir-001', 'dir-002', 'pub-001'];

describe('session settings', () => {
  it('plays a quiz in its order with its settings, and the owner manages it by cookie', async () => {
    const { t, s } = await sessionFrom(ids, { timeLimitSec: 45, lang: 'zh' });
    expect(s).toMatchObject({ questionCount: 5, timeLimitSec: 45, lang: 'zh' });
    const { token } = await join(s.code, 'Ann');
    // The quiz's first question, shown by the session's own id.
    const first = (await state(token)).current!.question;
    expect(first.stem).toEqual((await storedQuestion('int-001')).stem);
    expect(first.id).not.toBe('int-001');
    const view: TeacherView = (await call(`/api/sessions/${s.id}`, { cookie: t.cookie })).json;
    expect(view.questions.map((q) => q.id)).toEqual(ids);
    expect(view.participants.map((p) => p.nickname)).toEqual(['Ann']);
    const list = (await call('/api/sessions', { cookie: t.cookie })).json;
    expect(list.sessions.map((x: { id: string }) => x.id)).toEqual([s.id]);
    expect(list.sessions[0].participants).toBe(1);
    // Another teacher cannot see it.
    const other = await teacher();
    expectError(await call(`/api/sessions/${s.id}`, { cookie: other.cookie }), 404, 'session_not_found');
    expectError(
      await call(`/api/sessions/${s.id}/close`, { method: 'POST', cookie: other.cookie }),
      404,
      'session_not_found',
    );
  });

  it('untimed: no countdown, no late, points for being right only', async () => {
    const { s } = await sessionFrom(ids.slice(0, 1), { timeLimitSec: 0 });
    const { token } = await join(s.code, 'Bo');
    const st = await state(token);
    expect(st.current).toMatchObject({ limitMs: 0, remainingMs: null });
    await age(token, 3_600_000);
    const q = await keyFor(s.id, st.current!.question);
    expect((await answer(token, q.id, rightResponse(q))).json.verdict).toMatchObject({
      correct: true,
      late: false,
      points: 1000,
    });
  });

  it('feedback at the end holds back verdicts and scores until the student has finished, then shows a review', async () => {
    const { s } = await sessionFrom(ids.slice(0, 2), { feedback: 'end' });
    const { token } = await join(s.code, 'Cy');
    const q1 = await keyFor(s.id, (await state(token)).current!.question);
    const r1 = await answer(token, q1.id, rightResponse(q1));
    expect(r1.json.verdict).toBeNull();
    expect(r1.json.me.score).toBeNull();
    expect(JSON.stringify(r1.json)).not.toContain(q1.explanation!.zh);
    expect((await state(token)).me.score).toBeNull();
    expectError(await call('/api/play/review', { token }), 409, 'not_finished');
    // A repeat does not leak it either.
    expect((await answer(token, q1.id, rightResponse(q1))).json.verdict).toBeNull();

    const q2 = await keyFor(s.id, (await state(token)).current!.question);
    const r2 = await answer(token, q2.id, null);
    expect(r2.json.verdict).toMatchObject({ correct: false, points: 0 });
    expect(r2.json.me.finished).toBe(true);
    expect(r2.json.me.score).toBeGreaterThan(0);
    const review: Review = (await call('/api/play/review', { token })).json;
    expect(review.items.map((i) => [i.position, i.question.id, i.verdict.correct])).toEqual([
      [0, q1.id, true],
      [1, q2.id, false],
    ]);
    expect(review.items[0]!.verdict.reveal.explanation).toEqual(q1.explanation);
  });

  it('hides the leaderboard from students when the teacher says so', async () => {
    const { s } = await sessionFrom(ids.slice(0, 1), { showLeaderboard: false });
    const { token } = await join(s.code, 'Di');
    expect(await leaderboard(token)).toEqual({ hidden: true, entries: [] });
  });

  it('shuffles questions per student (fixed at joining) and options per student', async () => {
    const bankIds = (
      await env.DB.prepare("SELECT id FROM questions WHERE type = 'single' ORDER BY id LIMIT 12").all<{ id: string }>()
    ).results.map((r) => r.id);
    const { s } = await sessionFrom(bankIds, { shuffleQuestions: true, shuffleOptions: true });
    const orders = new Set<string>();
    const optionOrders = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const { token } = await join(s.code, `P${i}`);
      const first = (await state(token)).current!.question;
      orders.add(first.id);
      if (first.id === bankIds[0]) optionOrders.add(first.options!.map((o) => o.id).join());
      // The same student keeps the same question after a reload.
      expect((await state(token)).current!.question).toEqual(first);
      // And can play through every question exactly once.
      const seen = new Set<string>();
      for (let n = 0; n < bankIds.length; n++) {
        const st = await state(token);
        seen.add(st.current!.question.id);
        await answer(token, st.current!.question.id, null);
      }
      expect(seen.size).toBe(bankIds.length);
    }
    expect(orders.size).toBeGreaterThan(1);
  });

  it("shows the teacher's grid in the session's order of questions when each student played them shuffled", async () => {
    const { s } = await sessionFrom(ids, { shuffleQuestions: true, timeLimitSec: 0 });
    /** Plays the student's next questions in their own order: right, wrong or nothing (null); the rest not yet. */
    const bankIdOf = new Map((await Promise.all(ids.map(storedQuestion))).map((q) => [q.stem.zh, q.id]));
    const play = async (nickname: string, moves: ('right' | 'wrong' | null)[]) => {
      const { token } = await join(s.code, nickname);
      const given = new Map<string, AnswerCell>();
      for (const move of moves) {
        const q = await keyFor(s.id, (await state(token)).current!.question);
        const response = move === 'right' ? rightResponse(q) : move === 'wrong' ? wrongResponse(q) : null;
        expect((await answer(token, q.id, response)).status).toBe(200);
        given.set(bankIdOf.get(q.stem.zh)!, move ?? 'blank');
      }
      return ids.map((id) => given.get(id) ?? null);
    };
    const ann = await play('Ann', ['right', 'wrong', null]);
    const bo = await play('Bo', ['right']);
    const view: TeacherView = (await call(`/api/sessions/${s.id}`, { token: s.teacherKey })).json;
    expect(view.questions.map((q) => q.id)).toEqual(ids);
    const pid = (nickname: string) => view.participants.find((p) => p.nickname === nickname)!.id;
    expect(view.grid.rows).toEqual([
      { participantId: pid('Ann'), cells: ann },
      { participantId: pid('Bo'), cells: bo },
    ]);
    expect(ann.filter((c) => c === null)).toHaveLength(2);
  });
});

describe('session control', () => {
  it('locks and unlocks joining', async () => {
    const { t, s } = await sessionFrom(ids);
    expect(
      (await call(`/api/sessions/${s.id}`, { method: 'PATCH', cookie: t.cookie, body: { locked: true } })).json.locked,
    ).toBe(true);
    expectError(await call(`/api/codes/${s.code}/participants`, { body: { nickname: 'Late' } }), 409, 'session_locked');
    await call(`/api/sessions/${s.id}`, { method: 'PATCH', cookie: t.cookie, body: { locked: false } });
    await join(s.code, 'Late');
  });

  it('removes in one action every seat that has not answered, and shows seats that answered only with nothing', async () => {
    const { t, s } = await sessionFrom(ids);
    const player = await join(s.code, 'Player');
    const blank = await join(s.code, 'Blank');
    await join(s.code, 'Bot1');
    await join(s.code, 'Bot2');
    const first = await state(player.token);
    expect((await answer(player.token, first.current!.question.id, null)).status).toBe(200);
    const second = await state(player.token);
    const q = await keyFor(s.id, second.current!.question);
    expect((await answer(player.token, q.id, rightResponse(q))).status).toBe(200);
    for (let i = 0; i < ids.length; i++) {
      const st = await state(blank.token);
      expect((await answer(blank.token, st.current!.question.id, null)).status).toBe(200);
    }
    const view = (await call(`/api/sessions/${s.id}`, { cookie: t.cookie })).json as TeacherView;
    const byName = new Map(view.participants.map((p) => [p.nickname, p]));
    expect(byName.get('Blank')).toMatchObject({ finished: true, answered: ids.length, blankAnswers: ids.length });
    expect(byName.get('Player')).toMatchObject({ answered: 2, blankAnswers: 1 });
    expect(byName.get('Bot1')).toMatchObject({ answered: 0, blankAnswers: 0 });

    // Anyone else, and a request that does not say which seats, changes nothing.
    const other = await teacher('Mr Other');
    expectError(
      await call(`/api/sessions/${s.id}/participants?answered=none`, { method: 'DELETE', cookie: other.cookie }),
      404,
      'session_not_found',
    );
    expectError(
      await call(`/api/sessions/${s.id}/participants`, { method: 'DELETE', cookie: t.cookie }),
      400,
      'invalid_query',
    );
    const removed = await call(`/api/sessions/${s.id}/participants?answered=none`, {
      method: 'DELETE',
      cookie: t.cookie,
    });
    expect(removed.json).toEqual({ removed: 3 });
    const after = (await call(`/api/sessions/${s.id}`, { cookie: t.cookie })).json as TeacherView;
    expect(after.participants.map((p) => p.nickname)).toEqual(['Player']);
    expectError(await call('/api/play', { token: blank.token }), 401, 'unauthorized');
    expect((await state(player.token)).me.answered).toBe(2);
  });

  it('removes idle seats of a live game too', async () => {
    const { t, s } = await sessionFrom(ids, {}, { mode: 'live' });
    await join(s.code, 'Idle');
    const removed = await call(`/api/sessions/${s.id}/participants?answered=none`, {
      method: 'DELETE',
      cookie: t.cookie,
    });
    expect(removed.json).toEqual({ removed: 1 });
    expect(((await call(`/api/sessions/${s.id}`, { cookie: t.cookie })).json as TeacherView).participants).toEqual([]);
  });

  it('schedules opening and closing', async () => {
    const soon = Date.now() + 3_600_000;
    const { t, s } = await sessionFrom(ids, {}, { opensAt: soon, closesAt: soon + 3_600_000 });
    expect(s.status).toBe('scheduled');
    expect((await call(`/api/codes/${s.code}`)).json.status).toBe('scheduled');
    expectError(await call(`/api/codes/${s.code}/participants`, { body: { nickname: 'Early' } }), 409, 'not_open_yet');
    expectError(
      await call(`/api/sessions/${s.id}`, { method: 'PATCH', cookie: t.cookie, body: { closesAt: soon - 1 } }),
      400,
      'invalid_json',
    );
    await call(`/api/sessions/${s.id}`, { method: 'PATCH', cookie: t.cookie, body: { opensAt: null } });
    const { token } = await join(s.code, 'Now');
    expect((await state(token)).current).not.toBeNull();
    // Closing by schedule works like closing by hand (a teacher's change; the room is told).
    await settle(s.id);
    await env.DB.prepare('UPDATE sessions SET closes_at = ? WHERE id = ?')
      .bind(Date.now() - 1, s.id)
      .run();
    const st = await state(token);
    expect(st.session.status).toBe('closed');
    expect(st.current).toBeNull();
    expectError(await answer(token, 'int-001', null), 410, 'session_closed');
  });

  it('closes early and reopens, keeping the code when it is free', async () => {
    const { t, s } = await sessionFrom(ids);
    await call(`/api/sessions/${s.id}/close`, { method: 'POST', cookie: t.cookie });
    expectError(await call(`/api/codes/${s.code}/participants`, { body: { nickname: 'X' } }), 410, 'session_closed');
    const reopened = await call(`/api/sessions/${s.id}/reopen`, { method: 'POST', cookie: t.cookie });
    expect(reopened.json).toEqual({ id: s.id, status: 'open', code: s.code });
    await join(s.code, 'X');
  });

  it('reopens with a new code when another open session took it', async () => {
    const { t, s } = await sessionFrom(ids);
    await call(`/api/sessions/${s.id}/close`, { method: 'POST', cookie: t.cookie });
    const other = (await call('/api/sessions', { cookie: t.cookie, body: { title: 'Other', count: 1 } })).json;
    await env.DB.prepare('UPDATE sessions SET code = ? WHERE id = ?').bind(s.code, other.id).run();
    const reopened = (await call(`/api/sessions/${s.id}/reopen`, { method: 'POST', cookie: t.cookie })).json;
    expect(reopened.status).toBe('open');
    expect(reopened.code).not.toBe(s.code);
  });

  it('removes a participant with their answers; their token stops working', async () => {
    const { t, s } = await sessionFrom(ids);
    const bad = await join(s.code, 'Troll');
    const q = await keyFor(s.id, (await state(bad.token)).current!.question);
    await answer(bad.token, q.id, rightResponse(q));
    const view: TeacherView = (await call(`/api/sessions/${s.id}`, { cookie: t.cookie })).json;
    const pid = view.participants[0]!.id;
    expect(
      (await call(`/api/sessions/${s.id}/participants/${pid}`, { method: 'DELETE', cookie: t.cookie })).status,
    ).toBe(204);
    expectError(await call('/api/play', { token: bad.token }), 401, 'unauthorized');
    const n = await env.DB.prepare('SELECT count(*) AS n FROM answers WHERE session_id = ?')
      .bind(s.id)
      .first<{ n: number }>();
    expect(n!.n).toBe(0);
    expectError(
      await call(`/api/sessions/${s.id}/participants/${pid}`, { method: 'DELETE', cookie: t.cookie }),
      404,
      'participant_not_found',
    );
  });

  it('links a nickname to a roster name of the class', async () => {
    const t = await teacher();
    const cls = (await call('/api/classes', { cookie: t.cookie, body: { name: '3班', roster: ['王芳'] } })).json;
    const s = (
      await call('/api/sessions', {
        cookie: t.cookie,
        body: { title: 'S', classId: cls.id, count: 2, allowGuests: true },
      })
    ).json;
    await join(s.code, 'fangfang');
    const view: TeacherView = (await call(`/api/sessions/${s.id}`, { cookie: t.cookie })).json;
    const rosterId = (await call(`/api/classes/${cls.id}`, { cookie: t.cookie })).json.roster[0].id;
    const pid = view.participants[0]!.id;
    expect(
      (
        await call(`/api/sessions/${s.id}/participants/${pid}/roster`, {
          method: 'PUT',
          cookie: t.cookie,
          body: { rosterId },
        })
      ).json,
    ).toEqual({ id: pid, rosterId, nickname: 'fangfang' });
    expect((await call(`/api/sessions/${s.id}`, { cookie: t.cookie })).json.participants[0].rosterId).toBe(rosterId);
    expectError(
      await call(`/api/sessions/${s.id}/participants/${pid}/roster`, {
        method: 'PUT',
        cookie: t.cookie,
        body: { rosterId: 'NotOnTheRoster1' },
      }),
      404,
      'roster_entry_not_found',
    );
  });
});
